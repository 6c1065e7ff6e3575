import Foundation
import Testing
@testable import FieldbookReplica

/// A site id keeps only its UUID; its text and its order are derived and must stay what every
/// log, bundle and tie-break has used: lowercase UUID text, ordered as that text.
struct SiteIDTests {
    @Test("the text is the lowercase UUID, parses back, and the order of site ids is the order of their texts")
    func textAndOrder() throws {
        var generator = SystemRandomNumberGenerator()
        var sites = (0..<500).map { _ in SiteID.random() }
        // Ids that differ only late, or in their first byte at the ends of the range.
        sites += ["00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
                  "0193f000-0000-7000-8000-00000000000a", "0193f000-0000-7000-8000-0000000000a0"].map { SiteID($0)! }
        for site in sites {
            #expect(site.text == site.uuid.uuidString.lowercased())
            #expect(SiteID(site.text) == site && SiteID(site.text.uppercased()) == site)
        }
        for _ in 0..<2_000 {
            let left = sites.randomElement(using: &generator)!, right = sites.randomElement(using: &generator)!
            #expect((left < right) == (left.text < right.text), "\(left.text) against \(right.text)")
        }
        #expect(sites.sorted().map(\.text) == sites.map(\.text).sorted())
    }
}
