import FieldbookModel
import FieldbookReplica
import Foundation

/// A population file read for sampling: its name and SHA-256, the header row, and the rows
/// that can be drawn, in file order, each with its row number (as a spreadsheet numbers it, the
/// header being row 1) and the text of its first column. Blank rows are not in it.
public struct Population: Sendable {
    public struct Row: Sendable, Equatable {
        public let number: Int
        public let key: String
        public init(number: Int, key: String) {
            self.number = number
            self.key = key
        }
    }

    public let filename: String
    public let sha256: String
    /// The header row, as CSV.
    public let header: String
    public let rows: [Row]

    public init(filename: String, sha256: String, header: String, rows: [Row]) {
        self.filename = filename
        self.sha256 = sha256
        self.header = header
        self.rows = rows
    }
}

/// What `test add` is asked: what is tested, against which requirements, from which
/// population, how many items (a size, or the control's frequency) and with which seed.
public struct TestPlan: Sendable {
    public var title: String
    public var description: String?
    public var requirements: [String]
    public var population: Population
    public var size: Int?
    public var frequency: ControlFrequency?
    public var seed: UInt64

    public init(title: String, description: String? = nil, requirements: [String], population: Population, size: Int?,
                frequency: ControlFrequency?, seed: UInt64) {
        self.title = title
        self.description = description
        self.requirements = requirements
        self.population = population
        self.size = size
        self.frequency = frequency
        self.seed = seed
    }

    /// The largest seed recorded (the field holds a non-negative 64-bit signed integer).
    public static let maximumSeed = UInt64(Int64.max)

    /// The size drawn: the one given, else the frequency's (`ControlFrequency.sampleSize`).
    public var resolvedSize: Int { size ?? frequency?.sampleSize ?? 0 }

    /// The population rows drawn, in the order drawn (`SampleDraw`). Refused, in one sentence,
    /// when the size is not 1 to the population's row count.
    public func drawn() throws(StoreError) -> [Population.Row] {
        let size = resolvedSize, rows = population.rows
        guard seed <= Self.maximumSeed else { throw .invalid("--seed must be 0 to \(Self.maximumSeed), not \(seed).") }
        guard !rows.isEmpty else { throw .invalid("\(population.filename) has a header row but no rows to draw from; give the population's rows under its header.") }
        guard size >= 1 else { throw .invalid("A sample needs at least 1 item; give --size 1 or more, or --frequency.") }
        guard size <= rows.count else {
            throw .invalid("A sample of \(size) is larger than the population of \(counted(rows.count, "row")) in \(population.filename); give --size \(rows.count) or less.")
        }
        return SampleDraw.positions(population: rows.count, size: size, seed: seed).map { rows[$0] }
    }
}

extension WorkspaceDomain {
    /// Records a sampled test and the items it drew, in one write. Returns the test's id and
    /// the rows drawn, in the order drawn.
    public func addTest(_ plan: TestPlan, now: UInt64 = WallClock.now()) throws -> (id: EntityID, drawn: [Population.Row]) {
        let drawn = try plan.drawn()
        let id = EntityID(UUIDv7.make())!
        var test = EntityEdits<TestField>(id)
        try test.set(.title, plan.title)
        try test.set(.description, plan.description)
        try test.set(.populationFile, plan.population.filename)
        try test.set(.populationSHA256, plan.population.sha256)
        try test.set(.populationRows, plan.population.rows.count)
        try test.set(.populationHeader, Self.bounded(plan.population.header, to: EntitySchema.textLimit))
        try test.set(.seed, FieldValue.integer(Int64(plan.seed)))
        try test.set(.size, drawn.count)
        try test.set(.frequency, plan.frequency)
        try test.set(.method, SamplingMethod.splitmix64FisherYates)
        test.link(.requirements, plan.requirements)
        var edits = test.edits
        for (place, row) in drawn.enumerated() {
            var item = EntityEdits<SampleField>(EntityID(UUIDv7.make())!)
            item.link(.test, [id.rawValue])
            try item.set(.row, row.number)
            try item.set(.key, Self.bounded(row.key, to: EntitySchema.titleLimit))
            try item.set(.draw, place + 1)
            edits += item.edits
        }
        try workspace.write(edits, now: now)
        return (id, drawn)
    }

    /// A test's items, by row.
    public func items(of test: EntityID) throws -> [SampleItem] {
        try workspace.all(SampleItem.self).filter { $0.test == test.rawValue }.sorted { ($0.row ?? 0, $0.id) < ($1.row ?? 0, $1.id) }
    }

    /// The item of a test named by its row number or, when no row has that number, its key.
    public func item(_ input: String, of test: SampledTest) throws -> SampleItem {
        let items = try items(of: test.id)
        let text = input.trimmingSpaces
        if let number = Int(text), let found = items.first(where: { $0.row == number }) { return found }
        let keyed = items.filter { $0.key == text }
        if keyed.count == 1 { return keyed[0] }
        if keyed.count > 1 {
            throw StoreError.invalid("Several items of test \(test.id) have the key '\(text.prefix(60))'; name the item by its row (\(keyed.compactMap(\.row).map(String.init).joined(separator: ", "))).")
        }
        throw StoreError.notFound("Test \(test.id) drew no item '\(text.prefix(60))'; name one by its row or key ('fieldbook test show \(test.id)' lists them).")
    }

    /// Records what testing one item found: passed, or an exception with its text. `evidence`
    /// attaches a file looked at (supporting the test's requirements); `finding` raises a
    /// finding of that severity from the exception, in the same write. `evidenceFilename` is the
    /// file's name where it came from (an upload), by default its own.
    public func recordItem(test input: String, item itemInput: String, result: SampleResult, exception: String?,
                           evidence file: URL? = nil, evidenceFilename: String? = nil, finding severity: FindingSeverity? = nil,
                           now: UInt64 = WallClock.now()) throws -> (item: SampleItem, evidence: EntityID?, finding: EntityID?) {
        let test = try live(SampledTest.self, input)
        let item = try self.item(itemInput, of: test)
        if result == .pass, exception != nil { throw StoreError.invalid("An item passes or has an exception, not both; leave out --exception, or --pass.") }
        if result == .exception, (exception ?? "").trimmingSpaces.isEmpty {
            throw StoreError.invalid("An exception needs its text: what was found wrong with the item.")
        }
        if severity != nil, result != .exception { throw StoreError.invalid("--finding raises a finding from an exception; record one with --exception TEXT.") }
        var edits = EntityEdits<SampleField>(item.id, current: item.record)
        try edits.set(.result, result)
        try edits.set(.exception, exception)
        var findingID: EntityID?
        var extra: [LocalEdit] = []
        if let severity {
            let id = EntityID(UUIDv7.make())!
            var finding = EntityEdits<FindingField>(id)
            let label = "\(test.title ?? "Sampled test"), row \(item.row ?? 0)" + (item.key.flatMap { $0.isEmpty ? nil : " (\($0))" } ?? "")
            try finding.set(.title, Self.bounded("Exception in sampled test: " + label, to: EntitySchema.titleLimit))
            try finding.set(.description, exception)
            try finding.set(.severity, severity)
            try finding.set(.status, FindingStatus.open)
            finding.link(.requirements, test.requirements)
            edits.link(.findings, [id.rawValue])
            extra = finding.edits
            findingID = id
        }
        guard let file else {
            if !(edits.edits + extra).isEmpty { try workspace.write(edits.edits + extra, now: now) }
            return (try live(SampleItem.self, item.id.rawValue), nil, findingID)
        }
        let evidenceID = EntityID(UUIDv7.make())!
        edits.link(.evidence, [evidenceID.rawValue])
        _ = try attachEvidence(contentsOf: file, filename: evidenceFilename, description: "Looked at for item row \(item.row ?? 0) of sampled test \(test.title ?? test.id.rawValue)",
                               requirements: test.requirements, systems: [], id: evidenceID, alongside: edits.edits + extra, now: now)
        return (try live(SampleItem.self, item.id.rawValue), evidenceID, findingID)
    }

    /// Text cut to at most `limit` UTF-8 bytes at a character boundary (a key or header longer
    /// than its field holds is kept as far as it fits; the population's SHA-256 names the whole).
    static func bounded(_ text: String, to limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        var cut = ""
        for character in text {
            guard cut.utf8.count + character.utf8.count <= limit - 3 else { break }
            cut.append(character)
        }
        return cut + "..."
    }
}
