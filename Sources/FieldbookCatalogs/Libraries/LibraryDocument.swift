/// One framework or mapping library in CISO Assistant's library format, read and validated by
/// `LibraryReader`: the neutral model the importer, storage and inference work from.
///
/// Only what Fieldbook uses is kept; the format's other fields (`translations`,
/// `implementation_groups`, `questions`, `reference_controls`, `scores_definition`, ...) are
/// ignored, so a library written for a newer CISO Assistant still reads. URNs are lower-case
/// (the reader lower-cases them, as CISO Assistant's loader does), and every node and mapping
/// keeps its order in the file.
public struct LibraryDocument: Sendable, Hashable {
    /// The library's URN (`urn:intuitem:risk:library:nist-csf-2.0`).
    public var urn: String
    public var locale: String?
    public var refID: String
    public var name: String
    public var description: String?
    public var copyright: String?
    /// CISO Assistant numbers library versions with integers (`version: 6`); a new version of
    /// the same library keeps its URN and raises this.
    public var version: Int
    public var provider: String?
    public var packager: String?
    /// URNs of the libraries this one builds on (a mapping library names its two frameworks').
    public var dependencies: [String]
    /// The framework the library defines, if any (`objects.framework`).
    public var framework: Framework?
    /// The mapping sets the library defines (`objects.requirement_mapping_sets`, or the older
    /// singular `objects.requirement_mapping_set`), in file order.
    public var mappingSets: [MappingSet]

    public init(urn: String, locale: String?, refID: String, name: String, description: String?,
                copyright: String?, version: Int, provider: String?, packager: String?,
                dependencies: [String], framework: Framework?, mappingSets: [MappingSet]) {
        self.urn = urn
        self.locale = locale
        self.refID = refID
        self.name = name
        self.description = description
        self.copyright = copyright
        self.version = version
        self.provider = provider
        self.packager = packager
        self.dependencies = dependencies
        self.framework = framework
        self.mappingSets = mappingSets
    }

    /// A framework: its requirement nodes form a forest through `parentURN`.
    public struct Framework: Sendable, Hashable {
        /// `urn:intuitem:risk:framework:nist-csf-2.0`; its last segment is the framework key.
        public var urn: String
        public var refID: String
        public var name: String
        public var description: String?
        /// The scoring scale, when the framework defines one (`min_score`, `max_score`).
        public var minScore: Int?
        public var maxScore: Int?
        /// Every requirement node, in file order (parents before their children in CISO
        /// Assistant's files, though the reader does not require it).
        public var nodes: [Node]

        public init(urn: String, refID: String, name: String, description: String?,
                    minScore: Int?, maxScore: Int?, nodes: [Node]) {
            self.urn = urn
            self.refID = refID
            self.name = name
            self.description = description
            self.minScore = minScore
            self.maxScore = maxScore
            self.nodes = nodes
        }
    }

    /// One requirement node: a function, category, clause or article (`assessable: false`)
    /// or a requirement one assesses (`assessable: true`).
    public struct Node: Sendable, Hashable {
        public var urn: String
        public var assessable: Bool
        /// 1 for a top-level node, the parent's depth + 1 below it: computed from the parent
        /// chain; a `depth` the file states must agree with it.
        public var depth: Int
        public var parentURN: String?
        /// The identifier the framework prints (`GV.OC-01`, `A.5.2`); some nodes have none.
        public var refID: String?
        public var name: String?
        public var description: String?
        /// CISO Assistant's guidance text (examples, informative references).
        public var annotation: String?

        public init(urn: String, assessable: Bool, depth: Int, parentURN: String?, refID: String?,
                    name: String?, description: String?, annotation: String?) {
            self.urn = urn
            self.assessable = assessable
            self.depth = depth
            self.parentURN = parentURN
            self.refID = refID
            self.name = name
            self.description = description
            self.annotation = annotation
        }
    }

    /// A set of mappings from one framework's requirements to another's.
    public struct MappingSet: Sendable, Hashable {
        public var urn: String
        public var refID: String?
        public var name: String
        public var description: String?
        public var sourceFrameworkURN: String
        public var targetFrameworkURN: String
        /// The rows, in file order.
        public var mappings: [Mapping]

        public init(urn: String, refID: String?, name: String, description: String?,
                    sourceFrameworkURN: String, targetFrameworkURN: String, mappings: [Mapping]) {
            self.urn = urn
            self.refID = refID
            self.name = name
            self.description = description
            self.sourceFrameworkURN = sourceFrameworkURN
            self.targetFrameworkURN = targetFrameworkURN
            self.mappings = mappings
        }
    }

    /// One row: how a source requirement relates to a target requirement.
    public struct Mapping: Sendable, Hashable {
        public var sourceURN: String
        public var targetURN: String
        public var relationship: Relationship
        /// Why the relationship holds; CISO Assistant's files use `syntactic`, `semantic`,
        /// `functional` or free text.
        public var rationale: String?
        /// `strength_of_relationship` (CISO Assistant documents 0-10).
        public var strength: Int?

        public init(sourceURN: String, targetURN: String, relationship: Relationship,
                    rationale: String?, strength: Int?) {
            self.sourceURN = sourceURN
            self.targetURN = targetURN
            self.relationship = relationship
            self.rationale = rationale
            self.strength = strength
        }
    }

    /// NIST IR 8477's set-theory relationships, spelled as in CISO Assistant's files.
    public enum Relationship: String, Sendable, Hashable, CaseIterable {
        case equal
        case subset
        case superset
        case intersect
        case notRelated = "not_related"
    }
}
