import FieldbookCatalogs
import FieldbookModel

/// The `--json` documents of `catalog ...` and `crosswalk`. Keys are snake_case and every
/// requirement id is fully qualified.
struct RequirementSummaryDocument: Encodable {
    let id: String
    let framework: String
    let level: String
    let ref: String
    let title: String?
    let headline: String
    let assessable: Bool

    init(_ requirement: Requirement) {
        id = requirement.id.qualified
        framework = requirement.id.framework.rawValue
        level = requirement.level.rawValue
        ref = requirement.ref
        title = requirement.title
        headline = requirement.headline
        assessable = requirement.assessable
    }
}

struct RequirementDocument: Encodable {
    let id: String
    let framework: String
    let level: String
    let ref: String
    let title: String?
    let text: String?
    let parent: String?
    let assessable: Bool
    let children: [String]
    let summary: String?
    let guidanceRef: String?
    let crosswalk: [CrosswalkMappingDocument]

    enum CodingKeys: String, CodingKey {
        case id, framework, level, ref, title, text, parent, assessable, children, summary
        case guidanceRef = "guidance_ref"
        case crosswalk
    }

    init(_ requirement: Requirement, library: CatalogLibrary) {
        id = requirement.id.qualified
        framework = requirement.id.framework.rawValue
        level = requirement.level.rawValue
        ref = requirement.ref
        title = requirement.title
        text = requirement.text
        parent = requirement.parent?.qualified
        assessable = requirement.assessable
        children = library.catalog(requirement.id.framework).children(of: requirement.id).map(\.id.qualified)
        summary = requirement.extra["summary"]
        guidanceRef = requirement.extra["guidance_ref"]
        crosswalk = CrosswalkMappingDocument.all(for: requirement, library: library)
    }
}

struct CrosswalkMappingDocument: Encodable {
    let id: String
    let headline: String
    let relationship: String
    /// The subcategory or item of `requirement` that carries the row, when the row is
    /// inherited by a function, category, clause or objective from below.
    let via: String?
    let publishedRef: String
    let publishedTitle: String
    let source: String
    let note: String?

    enum CodingKeys: String, CodingKey {
        case id, headline, relationship, via
        case publishedRef = "published_ref"
        case publishedTitle = "published_title"
        case source, note
    }

    static func all(for requirement: Requirement, library: CatalogLibrary) -> [CrosswalkMappingDocument] {
        let catalog = library.catalog(requirement.id.framework)
        let direct = library.crosswalk.links(for: requirement.id).map { ($0, nil as RequirementID?) }
        let inherited = direct.isEmpty
            ? catalog.descendants(of: requirement.id).flatMap { child in
                library.crosswalk.links(for: child.id).map { ($0, child.id as RequirementID?) }
            }
            : []
        return (direct + inherited).map { link, via in
            CrosswalkMappingDocument(
                id: link.requirement.qualified,
                headline: library.index[link.requirement]?.headline ?? link.row.publishedTitle,
                relationship: link.relationship.rawValue,
                via: via?.qualified,
                publishedRef: link.row.publishedRef,
                publishedTitle: link.row.publishedTitle,
                source: link.row.origin,
                note: link.row.note)
        }
    }
}

struct CrosswalkSourceDocument: Encodable {
    let id: String
    let version: String
    let document: String
    let publisher: String
    let url: String
    let normalization: [String]
    let rows: Int

    init(_ crosswalk: Crosswalk) {
        id = crosswalk.id
        version = crosswalk.version
        document = crosswalk.document
        publisher = crosswalk.publisher
        url = crosswalk.url
        normalization = crosswalk.normalization
        rows = crosswalk.rows.count
    }
}
