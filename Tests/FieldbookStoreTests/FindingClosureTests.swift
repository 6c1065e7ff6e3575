import FieldbookModel
import FieldbookReplica
import FieldbookStore
import GRDB
import Testing

/// The closing rule of ISO/IEC 42001 10.2 in the domain, without the command line: a major or
/// minor nonconformity closes once its correction is verified effective, or with the reason to
/// close it without; observations and opportunities for improvement close freely; what a peer
/// closed unverified is kept and shown as an anomaly.
struct FindingClosureTests {
    let finding = EntityID("0193a000-0000-7000-8000-0000000000c1")!

    private func recorded(_ grade: FindingSeverity, in temporary: TemporaryWorkspace) throws {
        var edits = EntityEdits<FindingField>(finding)
        try edits.set(.title, "No impact assessment")
        try edits.set(.severity, grade)
        try edits.set(.status, FindingStatus.open)
        edits.link(.requirements, ["iso42001:6.1.4"])
        try temporary.workspace.domain.write(edits)
    }

    @Test("a nonconformity closes only once verified effective; not effective reopens a closed one")
    func verifiedClose() throws {
        let temporary = try TemporaryWorkspace()
        let domain = temporary.workspace.domain
        try recorded(.major, in: temporary)
        do {
            try domain.close(finding.rawValue)
            Issue.record("an unverified major nonconformity closed")
        } catch let error as StoreError {
            guard case .stateConflict(let sentence) = error else { throw error }
            #expect(sentence.hasPrefix("A major nonconformity closes only once its correction is verified effective"))
        }
        try domain.verify(finding.rawValue, result: .notEffective, by: "Lead auditor", on: "2027-01-10")
        #expect(throws: StoreError.self) { try domain.close(finding.rawValue) }
        try domain.verify(finding.rawValue, result: .effective)
        let verified = try #require(try temporary.workspace.entity(Finding.self, finding))
        #expect(verified.verifiedBy == "Ana", "the assessor verifies when no one else is named")
        #expect(try domain.close(finding.rawValue))
        #expect(try domain.close(finding.rawValue) == false, "closed already")
        try domain.verify(finding.rawValue, result: .notEffective)
        #expect(try temporary.workspace.entity(Finding.self, finding)?.status == .inProgress)
        #expect(try domain.anomalies().isEmpty)
    }

    @Test("an override closes an unverified nonconformity; an observation closes freely")
    func overrideAndObservation() throws {
        let temporary = try TemporaryWorkspace()
        try recorded(.minor, in: temporary)
        #expect(throws: StoreError.self) { try temporary.workspace.domain.close(finding.rawValue, override: "  ") }
        #expect(try temporary.workspace.domain.close(finding.rawValue, override: "Accepted by the board"))
        #expect(try temporary.workspace.entity(Finding.self, finding)?.closedWithoutVerification == "Accepted by the board")

        let other = try TemporaryWorkspace()
        try recorded(.observation, in: other)
        #expect(try other.workspace.domain.close(finding.rawValue))
        // Regraded to a nonconformity while closed unverified: refused.
        var regrade = EntityEdits<FindingField>(finding, current: try other.workspace.record(finding))
        try regrade.set(.severity, FindingSeverity.major)
        #expect(throws: StoreError.self) { try other.workspace.domain.write(regrade) }
    }

    @Test("a peer's unverified close is kept and shown as an anomaly")
    func receivedUnverifiedClose() throws {
        let temporary = try TemporaryWorkspace()
        try recorded(.major, in: temporary)
        // Ben, on a release before graded findings, saw the finding open and closed it.
        let open = try #require(try temporary.workspace.history(of: finding).first { $0.field == FindingField.status.name })
        let ben = ChangeSigner()
        let change = ben.sign(Change(dot: Dot(site: ben.site, counter: 1), hlc: HLCTimestamp(rawValue: open.hlc.rawValue + 1),
                                     author: "Ben", entity: finding, kind: .finding, field: FindingField.status.name, value: .enumCase("closed"),
                                     supersedes: [open.dot]))
        _ = try temporary.workspace.apply(remote: [change])
        #expect(try temporary.workspace.entity(Finding.self, finding)?.status == .closed)
        #expect(try temporary.workspace.domain.anomalies()
            == [DomainAnomaly(entity: finding, problem: "Major nonconformity closed without an effective verification")])
    }

    @Test("a workspace from before graded findings (schema 7) opens with the new columns, its findings as they were")
    func upgradeFromSchema7() throws {
        let temporary = try TemporaryWorkspace()
        try recorded(.minor, in: temporary)
        let location = temporary.workspace.location
        do {
            let database = try DatabaseQueue(path: location.database.path)
            try database.write { db in
                for column in ["correction", "root_cause", "verified_by", "verified_on", "verification", "closed_without_verification"] {
                    try db.execute(sql: "ALTER TABLE finding DROP COLUMN \(column)")
                }
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v9-graded-findings'")
                try db.execute(sql: "UPDATE meta SET value = '7' WHERE key = 'schema_version'")
            }
            try database.close()
        }
        let reopened = try Workspace.open(location)
        let upgraded = try #require(try reopened.entity(Finding.self, finding))
        #expect(upgraded.severity == .minor && upgraded.status == .open && upgraded.title == "No impact assessment" && upgraded.rootCause == nil)
        try reopened.domain.verify(finding.rawValue, result: .effective)
        #expect(try reopened.domain.close(finding.rawValue))
    }
}
