import FieldbookTestSupport
import Foundation
import Testing

/// 3-5 laptops of one engagement make random edits and swap bundles in random order, with
/// duplicates, stale and incremental bundles. After a full exchange every `export --json`
/// is byte-identical, every edit made is in the log, and the conflicts listed are exactly
/// those of concurrent writes of different values (an oracle tracks who had seen what).
/// Seeded: FIELDBOOK_CONVERGENCE_SEED replays one run, FIELDBOOK_CONVERGENCE_RUNS sets how many.
struct BundleConvergenceTests {
    static var seeds: [UInt64] {
        let env = ProcessInfo.processInfo.environment
        if let seed = env["FIELDBOOK_CONVERGENCE_SEED"].flatMap(UInt64.init) { return [seed] }
        let runs = env["FIELDBOOK_CONVERGENCE_RUNS"].flatMap(Int.init) ?? 3
        return (0..<runs).map { UInt64(0xC0FFEE + $0 * 7919) }
    }

    @Test("laptops exchanging bundles at random converge byte-for-byte and show exactly the concurrent conflicts", arguments: seeds)
    func convergence(seed: UInt64) throws {
        var run = try ConvergenceRun(seed: seed)
        for _ in 0..<run.steps { try run.step() }
        try run.exchangeEverything()
        try run.check()
    }
}

/// One seeded run and its oracle.
struct ConvergenceRun {
    struct Write {
        let entity: String
        let field: String
        /// nil for a link add or remove, whose `element` is set instead.
        let value: String?
        let element: String?
        let isRemove: Bool
    }

    struct Edit {
        let id: Int
        let laptop: Int
        let writes: [Write]
        let seen: Set<Int>
    }

    struct Bundle {
        let file: String
        /// Edits carried.
        let content: Set<Int>
        /// What its writer held when writing it (its header's vector).
        let held: Set<Int>
    }

    var random: SeededRandom
    let seed: UInt64
    let laptops: [CLIWorkspace]
    let steps: Int
    var known: [Set<Int>]
    var edits: [Edit] = []
    var bundles: [Bundle] = []
    var risks: [(id: String, creator: Int)] = []
    var evidence: [(id: String, creator: Int)] = []
    var systems: [String] = []
    let requirements = ["GV-1.1", "MP-1.1", "A.6.2.4", "6.1.2"]
    let qualified = ["GV-1.1": "nist-ai-rmf:GOVERN-1.1", "MP-1.1": "nist-ai-rmf:MAP-1.1", "A.6.2.4": "iso42001:A.6.2.4", "6.1.2": "iso42001:6.1.2"]

    init(seed: UInt64) throws {
        self.seed = seed
        random = SeededRandom(seed: seed)
        let count = Int.random(in: 3...5, using: &random)
        steps = Int.random(in: 80...110, using: &random)
        let first = try CLIWorkspace(assessor: "assessor-0", initialize: false)
        #expect(try first.run("init", "--engagement", "Convergence", "--assessor", "assessor-0", "--id", "convergence").status == 0)
        var laptops = [first]
        let origin = first.folder.appendingPathComponent("origin.fbbundle").path
        try first.run("bundle", "export", "-o", origin)
        for index in 1..<count {
            let laptop = try CLIWorkspace(initialize: false)
            #expect(try laptop.run("clone", origin, "--assessor", "assessor-\(index)").status == 0)
            laptops.append(laptop)
        }
        self.laptops = laptops
        // The engagement's name is the one edit every laptop starts from.
        edits.append(Edit(id: 0, laptop: 0, writes: [Write(entity: "convergence", field: "name", value: "Convergence", element: nil, isRemove: false)], seen: []))
        known = Array(repeating: [0], count: count)
    }

    func note(_ text: String) -> Comment { Comment(rawValue: "seed \(seed): \(text)") }

    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &random)] }

    mutating func record(_ laptop: Int, _ writes: [Write]) {
        let edit = Edit(id: edits.count, laptop: laptop, writes: writes, seen: known[laptop])
        edits.append(edit)
        known[laptop].insert(edit.id)
    }

    mutating func step() throws {
        let laptop = Int.random(in: 0..<laptops.count, using: &random)
        let ws = laptops[laptop]
        let roll = Int.random(in: 0..<100, using: &random)
        switch roll {
        case 0..<18:
            let requirement = pick(requirements)
            let status = pick(["compliant", "partially-compliant", "non-compliant", "not-applicable"])
            let outcome = try ws.run("assess", requirement, "--result", status)
            #expect(outcome.status == 0, note("assess"))
            // Re-asserting the value a laptop already shows writes nothing.
            if outcome.stdout.contains("(unchanged)") { return }
            record(laptop, [Write(entity: "result:" + qualified[requirement]!, field: "status", value: status, element: nil, isRemove: false)])
        case 18..<28:
            let likelihood = String(Int.random(in: 1...5, using: &random))
            let outcome = try ws.run("risk", "add", "Risk \(edits.count)", "--likelihood", likelihood, "--impact", "3")
            let id = outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            risks.append((id, laptop))
            record(laptop, ["title", "likelihood", "impact", "status"].map { field in
                Write(entity: id, field: field, value: ["title": "Risk \(edits.count)", "likelihood": likelihood, "impact": "3", "status": "open"][field],
                      element: nil, isRemove: false)
            })
        case 28..<45:
            guard let risk = visibleRisk(for: laptop) else { return }
            let likelihood = String(Int.random(in: 1...5, using: &random))
            let outcome = try ws.run("risk", "update", risk, "--likelihood", likelihood)
            if outcome.status == 0 && outcome.stdout.contains("unchanged") { return }
            if outcome.status == 0 {
                record(laptop, [Write(entity: risk, field: "likelihood", value: likelihood, element: nil, isRemove: false)])
            } else {
                #expect(outcome.status == 3, note("update of a deleted risk: \(outcome.stderr)"))
            }
        case 45..<50:
            guard let risk = visibleRisk(for: laptop) else { return }
            let outcome = try ws.run("risk", "delete", risk)
            if outcome.status == 0 { record(laptop, [Write(entity: risk, field: "deleted", value: "true", element: nil, isRemove: false)]) }
        case 50..<56:
            let file = try ws.file("evidence-\(edits.count).txt", "evidence \(seed) \(edits.count)")
            let requirement = pick(requirements)
            let outcome = try ws.run("evidence", "add", file.path, "--requirement", requirement, "--json")
            let id = try #require(try outcome.json["id"] as? String)
            let sha = try #require(try outcome.json["sha256"] as? String)
            evidence.append((id, laptop))
            record(laptop, [Write(entity: id, field: "filename", value: file.lastPathComponent, element: nil, isRemove: false),
                            Write(entity: id, field: "sha256", value: sha, element: nil, isRemove: false),
                            Write(entity: id, field: "size", value: nil, element: nil, isRemove: false),
                            Write(entity: id, field: "requirements", value: nil, element: qualified[requirement], isRemove: false)])
        case 56..<64:
            guard let item = visibleEvidence(for: laptop) else { return }
            let requirement = pick(requirements)
            let linked = try ws.run("show", item, "--json").json["requirements"] as? [String] ?? []
            if linked.contains(qualified[requirement]!) {
                #expect(try ws.run("evidence", "unlink", item, "--requirement", requirement).status == 0, note("unlink"))
                record(laptop, [Write(entity: item, field: "requirements", value: nil, element: qualified[requirement], isRemove: true)])
            } else {
                #expect(try ws.run("evidence", "link", item, "--requirement", requirement).status == 0, note("link"))
                record(laptop, [Write(entity: item, field: "requirements", value: nil, element: qualified[requirement], isRemove: false)])
            }
        case 64..<67:
            try resolveOne(laptop)
        case 67..<70:
            try managementSystemEdit(laptop)
        case 70..<85:
            try export(from: laptop)
        default:
            guard !bundles.isEmpty else { return }
            let bundle = pick(bundles)
            #expect(try ws.run("bundle", "import", bundle.file).status == 0, note("import \(bundle.file)"))
            known[laptop].formUnion(bundle.content)
        }
    }

    /// AI systems and applicability: what the command wrote is read back from the laptop's
    /// log (only values that changed are written), so the oracle sees exactly those writes.
    mutating func managementSystemEdit(_ laptop: Int) throws {
        let ws = laptops[laptop]
        let before = Set(try logChanges(ws).map(\.id))
        let systemsHere = systems.filter { system in edits.contains { $0.writes.first?.entity == system && known[laptop].contains($0.id) } }
        var arguments: [String]
        switch Int.random(in: 0..<3, using: &random) {
        case 0: arguments = ["system", "add", "System \(edits.count)", "--stage", pick(["design", "deployed"])]
        case 1 where !systemsHere.isEmpty: arguments = ["system", "update", pick(systemsHere), "--stage", pick(["development", "deployed", "retired"])]
        default:
            let control = pick(["A.5.2", "A.6.2.4", "A.8.4"])
            arguments = Bool.random(using: &random)
                ? ["applicability", "set", control, "--included"]
                : ["applicability", "set", control, "--excluded", "--justification", pick(["Out of scope", "Group policy covers it"])]
        }
        let outcome = try ws.run(arguments)
        #expect(outcome.status == 0, note("\(arguments): \(outcome.stderr)"))
        let writes = try logChanges(ws).filter { !before.contains($0.id) }.map(\.write)
        if arguments[1] == "add", let id = writes.first?.entity { systems.append(id) }
        if !writes.isEmpty { record(laptop, writes) }
    }

    func logChanges(_ ws: CLIWorkspace) throws -> [(id: String, write: Write)] {
        let changes = try ws.run("log", "--json").json["changes"] as? [[String: Any]] ?? []
        return changes.map { change in
            let operation = change["operation"] as? String ?? "set"
            let value = (change["value"] as? CustomStringConvertible)?.description
            return (change["change"] as? String ?? "", Write(entity: change["entity"] as? String ?? "", field: change["field"] as? String ?? "",
                                                            value: operation == "set" ? value : nil,
                                                            element: operation == "set" ? nil : value, isRemove: operation == "remove"))
        }
    }

    /// A risk this laptop knows and does not see as deleted.
    mutating func visibleRisk(for laptop: Int) -> String? {
        let visible = risks.filter { risk in edits.contains { $0.writes.first?.entity == risk.id && known[laptop].contains($0.id) } }
        return visible.isEmpty ? nil : pick(visible).id
    }

    mutating func visibleEvidence(for laptop: Int) -> String? {
        let visible = evidence.filter { item in edits.contains { $0.writes.first?.entity == item.id && known[laptop].contains($0.id) } }
        return visible.isEmpty ? nil : pick(visible).id
    }

    mutating func resolveOne(_ laptop: Int) throws {
        let ws = laptops[laptop]
        guard let conflict = (try ws.run("conflicts", "--json").json["conflicts"] as? [[String: Any]])?.first,
              let entity = conflict["entity"] as? String, let field = conflict["field"] as? String else { return }
        let value: String
        if field == "deleted" {
            value = "true"
        } else {
            let values = (conflict["values"] as? [[String: Any]] ?? []).compactMap { ($0["value"] as? CustomStringConvertible)?.description }
            value = pick(values)
        }
        #expect(try ws.run("resolve", entity, field, "--value", value).status == 0, note("resolve \(entity) \(field)"))
        record(laptop, [Write(entity: entity, field: field, value: value, element: nil, isRemove: false)])
    }

    mutating func export(from laptop: Int) throws {
        let ws = laptops[laptop]
        let file = ws.folder.appendingPathComponent("bundle-\(bundles.count).fbbundle").path
        var arguments = ["bundle", "export", "-o", file]
        var base: Set<Int> = []
        if !bundles.isEmpty && Bool.random(using: &random) {
            let earlier = pick(bundles)
            arguments += ["--since-bundle", earlier.file]
            base = earlier.held
        }
        #expect(try ws.run(arguments).status == 0, note("export"))
        bundles.append(Bundle(file: file, content: known[laptop].subtracting(base), held: known[laptop]))
    }

    mutating func exchangeEverything() throws {
        for (index, ws) in laptops.enumerated() {
            let file = ws.folder.appendingPathComponent("final-\(index).fbbundle").path
            #expect(try ws.run("bundle", "export", "-o", file).status == 0)
            for other in laptops.indices.shuffled(using: &random) where other != index {
                #expect(try laptops[other].run("bundle", "import", file).status == 0, note("final import"))
            }
        }
        for index in laptops.indices { known[index] = Set(edits.map(\.id)) }
    }

    func check() throws {
        let exports = try laptops.map { try $0.export() }
        #expect(Set(exports).count == 1, note("exports differ"))
        // Every edit made is in every log.
        let log = try #require(try laptops[0].run("log", "--json").json["changes"] as? [[String: Any]])
        let made = edits.reduce(0) { $0 + $1.writes.count }
        #expect(log.count == made, note("log holds \(log.count) changes, \(made) were made"))
        for other in laptops.dropFirst() {
            #expect((try other.run("log", "--json").json["changes"] as? [Any])?.count == log.count, note("logs differ"))
        }
        let listed = try #require(try laptops[0].run("conflicts", "--json").json["conflicts"] as? [[String: Any]])
        let actual = Set(listed.map { "\($0["entity"] as! String) \($0["field"] as! String)" })
        #expect(actual == expectedConflicts(), note("conflicts"))
        print("convergence seed \(seed): \(laptops.count) laptops, \(edits.count) edits, \(bundles.count) bundles, conflicts \(actual.sorted())")
        for other in laptops.dropFirst() {
            let theirs = (try other.run("conflicts", "--json").json["conflicts"] as? [[String: Any]] ?? [])
                .map { "\($0["entity"] as! String) \($0["field"] as! String)" }
            #expect(Set(theirs) == actual, note("conflicts differ between laptops"))
        }
    }

    /// Registers whose unseen writes disagree, and deletions that missed an edit.
    func expectedConflicts() -> Set<String> {
        var writes: [String: [(edit: Edit, write: Write)]] = [:]
        for edit in edits { for write in edit.writes { writes["\(write.entity) \(write.field)", default: []].append((edit, write)) } }
        func live(_ key: String) -> [(edit: Edit, write: Write)] {
            let all = writes[key] ?? []
            return all.filter { candidate in !all.contains { $0.edit.id != candidate.edit.id && $0.edit.seen.contains(candidate.edit.id) } }
        }
        var result = Set<String>()
        for key in writes.keys where !key.hasSuffix(" requirements") {
            if Set(live(key).map { $0.write.value ?? "" }).count > 1 { result.insert(key) }
        }
        for entity in Set(edits.flatMap { $0.writes.map(\.entity) }) {
            let tombstones = live("\(entity) deleted")
            guard !tombstones.isEmpty else { continue }
            var liveEdits: [Int] = []
            for key in writes.keys where key.hasPrefix(entity + " ") && !key.hasSuffix(" deleted") && !key.hasSuffix(" requirements") {
                liveEdits += live(key).map(\.edit.id)
            }
            // Link adds no remove had seen.
            let links = writes["\(entity) requirements"] ?? []
            for add in links where !add.write.isRemove {
                let removed = links.contains { $0.write.isRemove && $0.write.element == add.write.element && $0.edit.seen.contains(add.edit.id) }
                if !removed { liveEdits.append(add.edit.id) }
            }
            if liveEdits.contains(where: { edit in !tombstones.contains { $0.edit.seen.contains(edit) } }) {
                result.insert("\(entity) deleted")
            }
        }
        return result
    }
}
