import FieldbookModel
import FieldbookStore
import GRDB
import Testing

/// The workspace's tables are written in SQL migrations, which are never edited once
/// shipped; this holds them to the one field definition in `EntityFields.swift`.
struct SchemaDefinitionTests {
    @Test("every kind's table has exactly the columns of its register fields, plus the derived ones")
    func tablesMatchTheDefinition() throws {
        let temporary = try TemporaryWorkspace()
        let derived: [EntityKind: Set<String>] = [.result: ["requirement", "framework"], .risk: ["score", "level"], .applicability: ["control"]]
        for kind in EntityKind.allCases {
            let columns = try temporary.workspace.read { db in
                try Row.fetchAll(db, sql: "PRAGMA table_info(\(kind.rawValue))").map { $0["name"] as String }
            }
            let expected = Set(["id"] + EntitySchema.columns(of: kind)).union(derived[kind] ?? [])
            #expect(Set(columns) == expected, "\(kind.rawValue)")
        }
    }

    @Test("a kind's columns are its single-valued fields without the tombstone; links are sets")
    func columnsComeFromFields() {
        #expect(EntitySchema.columns(of: .finding) == ["title", "description", "severity", "status", "corrective_action", "owner", "due", "source",
                                                        "correction", "root_cause", "verified_by", "verified_on", "verification",
                                                        "closed_without_verification"])
        #expect(EntitySchema.fields(of: .risk)[RiskField.requirements.name] == .linkSet(.requirement))
        #expect(EntitySchema.fields(of: .impact)[ImpactField.evidence.name] == .linkSet(.entity(.evidence)))
        #expect(!EntitySchema.columns(of: .system).contains(EntitySchema.deletedField))
    }
}
