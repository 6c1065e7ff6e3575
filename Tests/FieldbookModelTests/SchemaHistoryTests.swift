@testable import FieldbookModel
import Testing

/// Which protocol a change needs (`SchemaHistory`): what Fieldbook 0.1 validated reads as
/// protocol 1, anything it would refuse needs the current one.
struct SchemaHistoryTests {
    @Test("fields and words Fieldbook 0.1 knew need protocol 1; the ones added since need the current protocol")
    func neededProtocol() {
        #expect(SchemaHistory.needed(kind: .risk, field: "likelihood", value: .integer(4)) == .v1)
        #expect(SchemaHistory.needed(kind: .risk, field: "treatment", value: .enumCase("mitigate")) == .v1)
        #expect(SchemaHistory.needed(kind: .finding, field: "severity", value: .enumCase("major")) == .v1)
        #expect(SchemaHistory.needed(kind: .library, field: "content", value: .enumCase("framework")) == .v1)
        #expect(SchemaHistory.needed(kind: .risk, field: "residual_likelihood", value: .integer(2)) == .v2)
        #expect(SchemaHistory.needed(kind: .risk, field: "treatment", value: .enumCase("modify")) == .v2)
        #expect(SchemaHistory.needed(kind: .finding, field: "severity", value: .enumCase("observation")) == .v2)
        #expect(SchemaHistory.needed(kind: .applicability, field: "reason", value: .enumCase("legal")) == .v2)
        #expect(SchemaHistory.needed(kind: .engagement, field: "risk_acceptance_level", value: .enumCase("medium")) == .v2)
        // Fieldwork's second half (issue 30) ships in 0.2 too: protocol 2, no protocol 3.
        #expect(SchemaHistory.needed(kind: .interview, field: "date", value: .date("2026-03-02")) == .v2)
        #expect(SchemaHistory.needed(kind: .test, field: "seed", value: .integer(7)) == .v2)
        #expect(SchemaHistory.needed(kind: .sample, field: "result", value: .enumCase("pass")) == .v2)
        #expect(ProtocolVersion.current == .v2)
    }

    @Test("every field of protocol 1 is still in today's schema, so data of that release reads unchanged")
    func protocolOneIsKept() throws {
        for kind in EntityKind.allCases {
            let fields = Set(EntitySchema.fields(of: kind).keys)
            for field in SchemaHistory.protocol1Fields[kind] ?? [] {
                #expect(fields.contains(field), "\(kind).\(field) of protocol 1 is gone from the schema")
            }
        }
    }

    @Test("a stated protocol beyond this build's reads as the newest it knows; nothing stated is protocol 1")
    func stated() {
        #expect(ProtocolVersion(stated: 99) == .current)
        #expect(ProtocolVersion(stated: 0) == .v1)
        #expect(ProtocolVersion.current.release.hasPrefix("Fieldbook "))
    }
}
