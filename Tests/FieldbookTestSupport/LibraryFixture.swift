import FieldbookCatalogs
import Foundation

/// Small framework and mapping libraries written for Fieldbook's tests (no real library's
/// content), as `LibraryReader` would return them: for pinning and travel tests.
public enum LibraryFixture {
    public static let frameworkURN = "urn:fieldbook:risk:library:travel-controls"

    /// A framework library with `version`; each version adds one requirement, so versions
    /// differ in their bytes.
    public static func framework(version: Int = 1, urn: String = frameworkURN, key: String = "travel-controls") -> LibraryDocument {
        let framework = "urn:fieldbook:risk:framework:\(key)"
        let node = "urn:fieldbook:risk:req_node:\(key)"
        var nodes = [LibraryDocument.Node(urn: "\(node):gov", assessable: false, depth: 1, parentURN: nil, refID: "GOV",
                                          name: "Governance", description: "Who decides", annotation: nil)]
        for index in 1...max(1, version) {
            nodes.append(.init(urn: "\(node):gov-\(index)", assessable: true, depth: 2, parentURN: "\(node):gov",
                               refID: "GOV-\(index)", name: "Control \(index)", description: "Requirement \(index) of version \(version)",
                               annotation: nil))
        }
        return LibraryDocument(urn: urn, locale: "en", refID: key.uppercased(), name: "Travel controls", description: "Written for tests",
                               copyright: "Written for Fieldbook's tests", version: version, provider: "Fieldbook", packager: "fieldbook",
                               dependencies: [],
                               framework: .init(urn: framework, refID: key.uppercased(), name: "Travel controls", description: nil,
                                                minScore: nil, maxScore: nil, nodes: nodes),
                               mappingSets: [])
    }

    /// A mapping library from the fixture framework to itself (enough for a mapping-only pin).
    public static func mapping(version: Int = 1) -> LibraryDocument {
        let framework = "urn:fieldbook:risk:framework:travel-controls"
        let node = "urn:fieldbook:risk:req_node:travel-controls"
        return LibraryDocument(urn: "urn:fieldbook:risk:library:travel-mapping", locale: "en", refID: "TRAVEL-MAP",
                               name: "Travel mapping", description: nil, copyright: nil, version: version, provider: "Fieldbook",
                               packager: nil, dependencies: [frameworkURN], framework: nil,
                               mappingSets: [.init(urn: "urn:fieldbook:risk:req_mapping_set:travel-self", refID: "travel-self",
                                                   name: "Self", description: nil, sourceFrameworkURN: framework,
                                                   targetFrameworkURN: framework,
                                                   mappings: [.init(sourceURN: "\(node):gov-1", targetURN: "\(node):gov-1",
                                                                    relationship: .equal, rationale: "syntactic", strength: 10)])])
    }
}
