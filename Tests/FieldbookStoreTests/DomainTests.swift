import FieldbookModel
import FieldbookReplica
import FieldbookStore
import Testing

/// The domain operations the CLI calls (Store/Domain): the unchanged-value rule, resolve,
/// delete and lookups, tested on a real workspace without the command line.
struct DomainTests {
    let risk = EntityID("0193a000-0000-7000-8000-0000000000a1")!

    /// A risk titled "Bias" here and, concurrently, "Drift" by Ben on another site.
    private func conflictedRisk() throws -> TemporaryWorkspace {
        let temporary = try TemporaryWorkspace()
        var edits = EntityEdits<RiskField>(risk)
        try edits.set(.title, "Bias")
        try edits.set(.likelihood, 2)
        try edits.set(.impact, 3)
        try temporary.workspace.domain.write(edits)
        let ben = ChangeSigner()
        let change = ben.sign(Change(dot: Dot(site: ben.site, counter: 1), hlc: HLCTimestamp(wall: 1_700_000_000_000, logical: 0),
                                     author: "Ben", entity: risk, kind: .risk, field: RiskField.title.name, value: .text("Drift")))
        _ = try temporary.workspace.apply(remote: [change])
        return temporary
    }

    @Test("a value the entity already shows is not written again, unless the field is in conflict")
    func unchangedValues() throws {
        let temporary = try conflictedRisk()
        let current = try #require(try temporary.workspace.entity(Risk.self, risk))
        #expect(current.conflictedFields == ["title"])
        var edits = EntityEdits<RiskField>(risk, current: current.record)
        try edits.set(.likelihood, 2)
        try edits.set(.impact, 3)
        #expect(edits.isEmpty)
        try edits.set(.title, current.title)
        #expect(edits.edits.count == 1, "a conflicted field is written even with a value it shows")
        #expect(try temporary.workspace.domain.write(EntityEdits<RiskField>(risk, current: current.record)) == false)
    }

    @Test("a value outside the schema is refused as one sentence, before anything is written")
    func validation() throws {
        let temporary = try TemporaryWorkspace()
        var edits = EntityEdits<RiskField>(risk)
        #expect(throws: StoreError.self) { try edits.set(.likelihood, 9) }
        do {
            try edits.set(.likelihood, 9)
        } catch {
            #expect(error.description == "Likelihood must be 1 to 5, not 9.")
        }
        var finding = EntityEdits<FindingField>(risk)
        #expect(throws: StoreError.self) { try finding.set(.due, "2026-02-30") }
        #expect(edits.isEmpty && finding.isEmpty)
        #expect(try temporary.workspace.record(risk) == nil)
    }

    @Test("a blank title, name or owner is refused for every local write, and nothing is written; a peer's blank title is kept")
    func blankLabels() throws {
        let temporary = try TemporaryWorkspace()
        let workspace = temporary.workspace
        let before = try workspace.log().count
        for (kind, field) in [(EntityKind.risk, "title"), (.risk, "owner"), (.finding, "title"), (.system, "name"),
                              (.evidence, "filename"), (.engagement, "name")] {
            for blank in ["", "   ", "\n\t"] {
                do {
                    try workspace.write([.set(risk, kind, field: field, .text(blank))])
                    Issue.record("\(kind.rawValue) \(field) '\(blank)' was written")
                } catch let error as StoreError {
                    #expect(error.description.hasSuffix("is blank; give it at least one visible character."), "\(error)")
                }
            }
        }
        // Several edits in one write: a blank one refuses the whole write.
        #expect(throws: StoreError.self) {
            try workspace.write([.set(risk, .risk, field: "likelihood", .integer(2)), .set(risk, .risk, field: "title", .text(" "))])
        }
        #expect(try workspace.log().count == before && workspace.record(risk) == nil)
        // Not a label: a description may be empty.
        #expect(try workspace.write([.set(risk, .risk, field: "description", .text(""))]).count == 1)
        // What a peer wrote is kept whatever its release allowed: nothing anyone typed is lost.
        let ben = ChangeSigner()
        let change = ben.sign(Change(dot: Dot(site: ben.site, counter: 1), hlc: HLCTimestamp(wall: 1_700_000_000_000, logical: 0),
                                     author: "Ben", entity: risk, kind: .risk, field: RiskField.title.name, value: .text("")))
        _ = try workspace.apply(remote: [change])
        #expect(try workspace.entity(Risk.self, risk)?.title == "")
        #expect(try workspace.domain.anomalies() == [DomainAnomaly(entity: risk, problem: "Risk title is blank")])
    }

    @Test("resolve keeps one assessor's value, which supersedes the rest; refuses links and fields not in conflict")
    func resolve() throws {
        let temporary = try conflictedRisk()
        let workspace = temporary.workspace
        #expect(throws: StoreError.self) { try workspace.domain.resolve(risk, field: "requirements", choice: .value("x")) }
        #expect(throws: StoreError.self) { try workspace.domain.resolve(risk, field: "owner", choice: .keep(assessor: "Ben")) }
        #expect(throws: StoreError.self) { try workspace.domain.resolve(risk, field: "title", choice: .keep(assessor: "Cleo")) }
        #expect(throws: StoreError.self) { try workspace.domain.resolve(risk, field: "likelihood", choice: .value("many")) }
        let resolution = try workspace.domain.resolve(risk, field: "title", choice: .keep(assessor: "Ben"))
        #expect(resolution.settledConflict && resolution.value == .text("Drift"))
        let settled = try #require(try workspace.entity(Risk.self, risk))
        #expect(settled.title == "Drift" && settled.conflictedFields.isEmpty)
        let typed = try workspace.domain.resolve(risk, field: "impact", choice: .value("5"))
        #expect(!typed.settledConflict && typed.record?.as(Risk.self)?.impact == 5)
    }

    @Test("delete leaves a tombstone; a deleted entity is refused for updates and restored by resolve")
    func deletion() throws {
        let temporary = try conflictedRisk()
        let workspace = temporary.workspace
        #expect(try workspace.domain.delete(String(risk.rawValue.prefix(13)), kind: .risk) == risk)
        #expect(try workspace.all(Risk.self).isEmpty)
        #expect(try workspace.all(Risk.self, includeDeleted: true).map(\.id) == [risk])
        #expect(throws: StoreError.self) { try workspace.domain.liveRecord(risk.rawValue, kind: .risk) }
        #expect(throws: StoreError.self) { try workspace.domain.delete(risk.rawValue, kind: .risk) }
        _ = try workspace.domain.resolve(risk, field: EntitySchema.deletedField, choice: .value("false"))
        #expect(try workspace.domain.live(Risk.self, risk.rawValue).title != nil)
    }

    @Test("AI systems are found by name in any case, by id or prefix; deleted ones are refused for links")
    func systems() throws {
        let temporary = try TemporaryWorkspace()
        let workspace = temporary.workspace
        let id = EntityID("0193a000-0000-7000-8000-0000000000b2")!
        var edits = EntityEdits<SystemField>(id)
        try edits.set(.name, "Credit Scorer")
        try edits.set(.stage, SystemStage.deployed)
        try workspace.domain.write(edits)
        #expect(try workspace.domain.system("credit scorer").id == id)
        #expect(try workspace.domain.system(String(id.rawValue.prefix(20))).stage == .deployed)
        #expect(try workspace.domain.systemIDs(["Credit Scorer", id.rawValue]) == [id.rawValue])
        #expect(throws: StoreError.self) { try workspace.domain.system("Nope") }
        _ = try workspace.domain.delete(id.rawValue, kind: .system)
        #expect(throws: StoreError.self) { try workspace.domain.systemIDs([id.rawValue]) }
    }

    @Test("a new AI system may not take another's name; a new impact assessment needs its system and a summary")
    func systemAndImpactRules() throws {
        let temporary = try TemporaryWorkspace()
        let workspace = temporary.workspace
        let system = EntityID("0193a000-0000-7000-8000-0000000000b3")!
        var edits = EntityEdits<SystemField>(system)
        try edits.set(.name, "Credit Scorer")
        try workspace.domain.write(edits)
        var twin = EntityEdits<SystemField>(EntityID("0193a000-0000-7000-8000-0000000000b4")!)
        try twin.set(.name, "credit scorer")
        #expect { try workspace.domain.write(twin) } throws: { error in
            guard case StoreError.stateConflict = error else { return false }
            return "\(error)" == "An AI system named 'credit scorer' exists already; update it or pick another name."
        }
        let impact = EntityID("0193a000-0000-7000-8000-0000000000c1")!
        let before = try workspace.log().count
        var unlinked = EntityEdits<ImpactField>(impact)
        try unlinked.set(.summary, "Fine")
        #expect { try workspace.domain.write(unlinked) } throws: { "\($0)" == "An impact assessment needs the AI system it assesses." }
        var unsummarised = EntityEdits<ImpactField>(impact)
        try unsummarised.set(.severity, 2)
        unsummarised.link(.systems, [system.rawValue])
        #expect { try workspace.domain.write(unsummarised) } throws: { "\($0)" == "An impact assessment needs a summary of what it found." }
        #expect(try workspace.log().count == before)
        try unsummarised.set(.summary, "Affects applicants over 60")
        try workspace.domain.write(unsummarised)
        // Once recorded, its other fields are edited on their own.
        var later = EntityEdits<ImpactField>(impact, current: try workspace.record(impact))
        try later.set(.likelihood, 3)
        #expect(try workspace.domain.write(later))
    }
}
