import Crypto
import FieldbookCatalogs
import FieldbookModel
import FieldbookReplica
import Foundation

/// The bundled NIST AI RMF 1.0 <-> ISO/IEC 42001:2023 crosswalk as an OSCAL 1.2 mapping
/// collection (`fieldbook crosswalk --export oscal-mapping`): one `mapping` from the AI RMF
/// (source resource) to ISO/IEC 42001 (target resource), one `map` per crosswalk row, in the
/// crosswalk's order. Each map has one source (the AI RMF subcategory) and one target (the
/// ISO/IEC 42001 clause or Annex A control), both of type `control`, with the control ids
/// Fieldbook's OSCAL assessment results use (`nist-ai-rmf_GOVERN-1.1`, `iso42001_A.6.2.4`).
/// The two resources are back-matter resources describing the publications (no OSCAL catalog
/// of either framework is published), referenced as `#uuid`.
///
/// Relationships. OSCAL's vocabulary is NIST IR 8477's set theory, read "source R target":
/// `equal-to`, `equivalent-to`, `subset-of`, `superset-of`, `intersects-with`, `no-relationship`.
/// Fieldbook's typed kinds translate one to one (equal -> equal-to, subset -> subset-of,
/// superset -> superset-of, intersect -> intersects-with), read from the AI RMF end of the row
/// (`CrosswalkRow.inverseRelationship`: how the source relates to the target). The published
/// crosswalk, though, only says that an ISO item corresponds to a subcategory: `related`, with
/// no set-theoretic type. Every OSCAL value would assert more than the source does:
/// `intersects-with` says each side holds requirements the other lacks, `equivalent-to` that
/// they mean the same, and a consumer computing coverage would act on either. So `related` is
/// kept as it is, qualified by Fieldbook's namespace (`ns: urn:fieldbook:oscal` on the map, which
/// OSCAL provides for relationship values it does not define): tools see a relationship they
/// cannot grade rather than a claim nobody made. The matching rationale is `semantic` (the
/// crosswalk relates requirements by meaning, not wording) and the method `human`.
///
/// Each row's published reference and title (as the crosswalk prints them: `B.2.2`, with its
/// typos) are props of the target item, its origin a prop of the map, and the curator's note on
/// an anomaly of the published document the map's remarks; the curator's normalisation notes are
/// the provenance remarks. Assessable requirements of either framework that no row names are
/// listed in the mapping's gap summaries.
///
/// The document is a function of the bundled catalog files alone, so two exports are
/// byte-identical: UUIDs are name-based (`NameUUID`) from the crosswalk id and what they name,
/// so a map keeps its UUID across revisions, as OSCAL asks; only the collection's UUID, which
/// OSCAL wants changed with every revision, is named by a SHA-256 of the rest of the document.
/// `metadata.version` is the crosswalk's own version. `last-modified` is not the time of export
/// (that would differ on every run and says nothing about the content) but the latest date the
/// content names: the crosswalk states only a year (2023) and its ids are normalised to
/// ISO/IEC 42001:2023, published December 2023, so the content is as of 2023-12-01T00:00:00Z,
/// each date read as the first instant of the month or year it names.
public enum OSCALMappingCollection {
    /// The OSCAL version the document conforms to (compliance-trestle's model reads 1.2.0-1.2.1).
    public static let oscalVersion = "1.2.1"
    /// Fieldbook's namespace, for props and for relationships OSCAL does not define.
    public static let namespace = OSCALProp.namespace

    /// An OSCAL map relationship: the value and, when OSCAL does not define it, its namespace.
    public struct MapRelationship: Sendable, Equatable {
        public let value: String
        public let ns: String?
    }

    /// How a Fieldbook relationship (read from the source: "source R target") is written in OSCAL.
    public static func relationship(_ kind: Relationship) -> MapRelationship {
        switch kind {
        case .equal: MapRelationship(value: "equal-to", ns: nil)
        case .subset: MapRelationship(value: "subset-of", ns: nil)
        case .superset: MapRelationship(value: "superset-of", ns: nil)
        case .intersect: MapRelationship(value: "intersects-with", ns: nil)
        case .related: MapRelationship(value: "related", ns: namespace)
        }
    }

    /// The document as JSON text (sorted keys, a final newline): the same bytes every time.
    public static func json(_ library: CatalogLibrary) throws -> String {
        String(decoding: try encode(document(library)), as: UTF8.self) + "\n"
    }

    public static func document(_ library: CatalogLibrary) -> Document {
        let crosswalk = library.crosswalk
        func uuid(_ name: String) -> String { NameUUID.make(namespace: "oscal-mapping:\(crosswalk.id)", name: name) }
        func token(_ id: RequirementID) -> String { OSCALToken.control(id.qualified) }
        func prop(_ name: String, _ value: String?) -> Prop? {
            guard let value = value?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
            return Prop(name: name, value: value)
        }

        func resource(_ catalog: FrameworkCatalog) -> Resource {
            let framework = catalog.framework.rawValue
            return Resource(
                uuid: uuid("resource:\(framework)"), title: catalog.name,
                description: "\(catalog.publication). Control ids in this mapping are Fieldbook's, as in its OSCAL assessment results:"
                    + " \(framework)_ followed by the requirement's id in the catalog (\(catalog.assessable.first.map { token($0.id) } ?? framework + "_ID")).",
                props: [prop("framework", framework), prop("version", catalog.version)].compactMap { $0 }.nonEmpty,
                rlinks: catalog.sourceURL.flatMap { $0.isEmpty ? nil : [Rlink(href: $0)] })
        }
        let source = resource(library.nistAIRMF)
        let target = resource(library.iso42001)
        let published = Resource(uuid: uuid("resource:crosswalk"), title: crosswalk.document,
                                 description: crosswalk.publisher.isEmpty ? nil : "\(crosswalk.publisher).",
                                 props: [prop("crosswalk-id", crosswalk.id)].compactMap { $0 }.nonEmpty,
                                 rlinks: crosswalk.url.isEmpty ? nil : [Rlink(href: crosswalk.url)])

        var seen: [String: Int] = [:]
        let maps = crosswalk.rows.map { row -> Map in
            let pair = "\(row.source.qualified)->\(row.target.qualified)"
            seen[pair, default: 0] += 1
            let occurrence = seen[pair]! == 1 ? "" : "#\(seen[pair]!)"
            let relationship = relationship(row.inverseRelationship)
            return Map(
                uuid: uuid("map:\(pair)\(occurrence)"), ns: relationship.ns, relationship: relationship.value,
                sources: [MappingItem(type: "control", idRef: token(row.source), props: nil)],
                targets: [MappingItem(type: "control", idRef: token(row.target),
                                      props: [prop("published-ref", row.publishedRef), prop("published-title", row.publishedTitle)]
                                          .compactMap { $0 }.nonEmpty)],
                props: [prop("origin", row.origin)].compactMap { $0 }.nonEmpty,
                remarks: row.note.flatMap { $0.isEmpty ? nil : $0 })
        }

        // Assessable requirements no row names: OSCAL's gap summaries (absent when there are none).
        func gap(_ catalog: FrameworkCatalog, _ mapped: Set<RequirementID>, _ side: String) -> GapSummary? {
            let unmapped = catalog.assessable.map(\.id).filter { !mapped.contains($0) }
            guard !unmapped.isEmpty else { return nil }
            return GapSummary(uuid: uuid("gap:\(side)"), unmappedControls: [SelectControl(withIDs: unmapped.map(token))])
        }
        let mapping = Mapping(
            uuid: uuid("mapping"),
            sourceResource: ResourceReference(type: "catalog", href: "#\(source.uuid)"),
            targetResource: ResourceReference(type: "catalog", href: "#\(target.uuid)"),
            maps: maps,
            sourceGapSummary: gap(library.nistAIRMF, Set(crosswalk.rows.map(\.source)), "source"),
            targetGapSummary: gap(library.iso42001, Set(crosswalk.rows.map(\.target)), "target"))

        let related = crosswalk.rows.contains { $0.inverseRelationship == .related }
        let provenance = Provenance(
            method: "human", matchingRationale: "semantic", status: "complete",
            mappingDescription: "\(crosswalk.document) (\(crosswalk.url)): each row relates a NIST AI RMF 1.0 subcategory"
                + " to an ISO/IEC 42001:2023 clause or Annex A control, as published. Fieldbook carries it so that one set of evidence"
                + " serves both assessments; the relationship is the one the crosswalk states, never a stronger one.",
            props: [prop("crosswalk-id", crosswalk.id), prop("rows", String(crosswalk.rows.count))].compactMap { $0 }.nonEmpty,
            links: [Link(href: "#\(published.uuid)", rel: "reference")],
            remarks: ((related ? ["The crosswalk gives no set-theoretic relationship: its rows are written as 'related' in the namespace"
                                  + " \(namespace), not as an OSCAL relationship it does not state."] : [])
                      + crosswalk.normalization).joined(separator: "\n\n").nonEmpty)

        let metadata = Metadata(
            title: crosswalk.document.isEmpty ? "NIST AI RMF <-> ISO/IEC 42001 crosswalk" : crosswalk.document,
            lastModified: contentDate([crosswalk.version, crosswalk.document, library.nistAIRMF.publication, library.iso42001.publication]),
            version: crosswalk.version.isEmpty ? "unversioned" : crosswalk.version, oscalVersion: oscalVersion,
            props: [prop("crosswalk-id", crosswalk.id)].compactMap { $0 }.nonEmpty,
            remarks: "Written by Fieldbook from its bundled copy of the crosswalk; last-modified is the latest date that content names, not the time of export.")

        var collection = MappingCollection(uuid: "", metadata: metadata, provenance: provenance, mappings: [mapping],
                                           backMatter: BackMatter(resources: [source, target, published]))
        // A new revision, a new UUID: named by a digest of everything else.
        let digest = (try? encode(Document(mappingCollection: collection))).map { Hex.string(SHA256.hash(data: $0)) } ?? "unencodable"
        collection.uuid = uuid("mapping-collection:\(digest)")
        return Document(mappingCollection: collection)
    }

    private static func encode(_ document: Document) throws -> Data {
        try JSONDocument.encode(document, .readable)
    }

    /// The latest date named in `texts` as an RFC 3339 instant: a year (1900-2099) read as its first
    /// day, a year after an English month name as the first of that month. 1970-01-01 when none is named.
    static func contentDate(_ texts: [String]) -> String {
        let months = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
                      "october", "november", "december"]
        var latest = (year: 1970, month: 1)
        for text in texts {
            let words = text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.lowercased() }
            for (index, word) in words.enumerated() {
                guard word.count == 4, let year = Int(word), (1900...2099).contains(year) else { continue }
                let month = index > 0 ? (months.firstIndex(of: words[index - 1]).map { $0 + 1 } ?? 1) : 1
                if (year, month) > latest { latest = (year, month) }
            }
        }
        return String(format: "%04d-%02d-01T00:00:00Z", latest.year, latest.month)
    }

    // MARK: - The OSCAL 1.2 mapping model (the parts Fieldbook writes)

    /// The whole document, to encode as JSON.
    public struct Document: Encodable, Sendable {
        public internal(set) var mappingCollection: MappingCollection
        enum CodingKeys: String, CodingKey { case mappingCollection = "mapping-collection" }
    }

    public struct MappingCollection: Encodable, Sendable {
        public internal(set) var uuid: String
        let metadata: Metadata
        let provenance: Provenance
        public let mappings: [Mapping]
        let backMatter: BackMatter
        enum CodingKeys: String, CodingKey { case uuid, metadata, provenance, mappings, backMatter = "back-matter" }
    }

    struct Metadata: Encodable, Sendable {
        let title: String, lastModified: String, version: String, oscalVersion: String
        let props: [Prop]?
        let remarks: String
        enum CodingKeys: String, CodingKey {
            case title, version, props, remarks
            case lastModified = "last-modified", oscalVersion = "oscal-version"
        }
    }

    struct Provenance: Encodable, Sendable {
        let method: String, matchingRationale: String, status: String, mappingDescription: String
        let props: [Prop]?
        let links: [Link]
        let remarks: String?
        enum CodingKeys: String, CodingKey {
            case method, status, props, links, remarks
            case matchingRationale = "matching-rationale", mappingDescription = "mapping-description"
        }
    }

    public struct Mapping: Encodable, Sendable {
        let uuid: String
        let sourceResource: ResourceReference
        let targetResource: ResourceReference
        public let maps: [Map]
        let sourceGapSummary: GapSummary?
        let targetGapSummary: GapSummary?
        enum CodingKeys: String, CodingKey {
            case uuid, maps
            case sourceResource = "source-resource", targetResource = "target-resource"
            case sourceGapSummary = "source-gap-summary", targetGapSummary = "target-gap-summary"
        }
    }

    struct ResourceReference: Encodable, Sendable { let type: String, href: String }

    public struct Map: Encodable, Sendable {
        let uuid: String
        /// Absent for OSCAL's own relationships; Fieldbook's namespace for `related`.
        let ns: String?
        public let relationship: String
        let sources: [MappingItem]
        let targets: [MappingItem]
        let props: [Prop]?
        let remarks: String?
    }

    struct MappingItem: Encodable, Sendable {
        let type: String, idRef: String
        let props: [Prop]?
        enum CodingKeys: String, CodingKey { case type, props, idRef = "id-ref" }
    }

    struct GapSummary: Encodable, Sendable {
        let uuid: String
        let unmappedControls: [SelectControl]
        enum CodingKeys: String, CodingKey { case uuid, unmappedControls = "unmapped-controls" }
    }

    struct SelectControl: Encodable, Sendable {
        let withIDs: [String]
        enum CodingKeys: String, CodingKey { case withIDs = "with-ids" }
    }

    struct BackMatter: Encodable, Sendable { let resources: [Resource] }

    struct Resource: Encodable, Sendable {
        let uuid: String, title: String
        let description: String?
        let props: [Prop]?
        let rlinks: [Rlink]?
    }

    struct Rlink: Encodable, Sendable { let href: String }
    struct Link: Encodable, Sendable { let href: String, rel: String }

    typealias Prop = FieldbookProp
}
