import FieldbookCatalogs
import FieldbookModel
import FieldbookReports
import Testing

struct CrosswalkInferenceTests {
    let library = try! CatalogLibrary.bundled()
    let control = RequirementID(qualified: "iso42001:A.6.2.4")!

    func infer(_ own: AssessmentStatus?, _ results: [String: AssessmentStatus]) -> CrosswalkInference {
        CrosswalkInference(requirement: control, own: own, crosswalk: library.crosswalk) { results[$0.qualified] }
    }

    @Test("no related result gives no signal")
    func noSignal() {
        let inference = infer(nil, [:])
        #expect(inference.signal == .noSignal)
        #expect(inference.related.count == 12)
        #expect(inference.summary.contains("none of the 12"))
    }

    @Test("one related non-compliant result makes a gap likely")
    func gapLikely() {
        #expect(infer(nil, ["nist-ai-rmf:MEASURE-2.1": .nonCompliant, "nist-ai-rmf:MAP-2.3": .compliant]).signal == .gapLikely)
    }

    @Test("all related compliant (not-applicable ones aside) is likely covered; some is partial")
    func coverage() {
        let related = library.crosswalk.links(for: control).map(\.requirement.qualified)
        var all = Dictionary(uniqueKeysWithValues: related.map { ($0, AssessmentStatus.compliant) })
        all[related[0]] = .notApplicable
        #expect(infer(nil, all).signal == .likelyCovered)
        #expect(infer(nil, [related[0]: .compliant]).signal == .partial)
    }

    @Test("an own result contradicting a related one is a disagreement")
    func disagreement() {
        #expect(infer(.compliant, ["nist-ai-rmf:MEASURE-2.1": .nonCompliant]).disagreement)
        #expect(infer(.nonCompliant, ["nist-ai-rmf:MEASURE-2.1": .compliant]).disagreement)
        #expect(!infer(.partiallyCompliant, ["nist-ai-rmf:MEASURE-2.1": .compliant]).disagreement)
    }
}
