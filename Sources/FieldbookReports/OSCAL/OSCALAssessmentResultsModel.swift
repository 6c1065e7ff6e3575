// The assessment-results document's shape (OSCAL 1.1.3), in the JSON names NIST's schema uses;
// `OSCALAssessmentResults.document` fills it in.
extension OSCALAssessmentResults {
    /// The whole document, to encode as JSON.
    public struct Document: Encodable, Sendable {
        let assessmentResults: AssessmentResults
        enum CodingKeys: String, CodingKey { case assessmentResults = "assessment-results" }
    }

    struct AssessmentResults: Encodable, Sendable {
        let uuid: String
        let metadata: Metadata
        let importAP: ImportAP
        let results: [Result]
        let backMatter: BackMatter
        enum CodingKeys: String, CodingKey { case uuid, metadata, results, importAP = "import-ap", backMatter = "back-matter" }
    }

    struct Metadata: Encodable, Sendable {
        let title: String, lastModified: String, version: String, oscalVersion: String
        let roles: [Role]
        let parties: [Party]
        let responsibleParties: [ResponsibleParty]
        enum CodingKeys: String, CodingKey {
            case title, version, roles, parties
            case lastModified = "last-modified", oscalVersion = "oscal-version", responsibleParties = "responsible-parties"
        }
    }

    struct Role: Encodable, Sendable { let id: String, title: String }
    struct Party: Encodable, Sendable { let uuid: String, type: String, name: String }
    struct ResponsibleParty: Encodable, Sendable {
        let roleID: String, partyUUIDs: [String]
        enum CodingKeys: String, CodingKey { case roleID = "role-id", partyUUIDs = "party-uuids" }
    }
    struct BackMatter: Encodable, Sendable { let resources: [Resource] }
    struct Resource: Encodable, Sendable {
        let uuid: String, title: String?, description: String?
        let props: [Prop]?
        var rlinks: [RLink]? = nil
        var remarks: String? = nil
    }
    /// Where a resource's bytes are, and their digests.
    struct RLink: Encodable, Sendable {
        let href: String, mediaType: String?, hashes: [Hash]?
        enum CodingKeys: String, CodingKey { case href, hashes, mediaType = "media-type" }
    }
    struct Hash: Encodable, Sendable { let algorithm: String, value: String }
    struct ImportAP: Encodable, Sendable { let href: String, remarks: String }
    typealias Prop = FieldbookProp

    struct Result: Encodable, Sendable {
        let uuid: String, title: String, description: String, start: String, end: String
        let localDefinitions: LocalDefinitions?
        let reviewedControls: ReviewedControls
        let observations: [Observation]?
        let risks: [Risk]?
        let findings: [Finding]?
        enum CodingKeys: String, CodingKey {
            case uuid, title, description, start, end, observations, risks, findings
            case reviewedControls = "reviewed-controls", localDefinitions = "local-definitions"
        }
    }

    struct LocalDefinitions: Encodable, Sendable { let components: [Component] }

    struct Component: Encodable, Sendable {
        let uuid: String, type: String, title: String, description: String
        let props: [Prop]
        let status: ComponentStatus
    }

    struct ComponentStatus: Encodable, Sendable { let state: String }

    struct SubjectReference: Encodable, Sendable {
        let subjectUUID: String, type: String
        enum CodingKeys: String, CodingKey { case type, subjectUUID = "subject-uuid" }
    }

    struct ReviewedControls: Encodable, Sendable {
        let controlSelections: [ControlSelection]
        enum CodingKeys: String, CodingKey { case controlSelections = "control-selections" }
    }

    struct ControlSelection: Encodable, Sendable {
        let props: [Prop]?
        let includeControls: [IncludeControl]
        let excludeControls: [IncludeControl]?
        let remarks: String?
        enum CodingKeys: String, CodingKey { case props, remarks, includeControls = "include-controls", excludeControls = "exclude-controls" }
    }

    struct IncludeControl: Encodable, Sendable {
        let controlID: String
        enum CodingKeys: String, CodingKey { case controlID = "control-id" }
    }

    struct Observation: Encodable, Sendable {
        let uuid: String
        let title: String?
        let description: String
        let props: [Prop]
        let methods: [String]
        let types: [String]?
        let relevantEvidence: [RelevantEvidence]?
        var subjects: [SubjectReference]? = nil
        let collected: String
        let remarks: String?
        enum CodingKeys: String, CodingKey {
            case uuid, title, description, props, methods, types, subjects, collected, remarks
            case relevantEvidence = "relevant-evidence"
        }
    }

    struct RelevantEvidence: Encodable, Sendable {
        /// `#uuid` of the evidence file's back-matter resource.
        var href: String? = nil
        let description: String
    }

    struct Risk: Encodable, Sendable {
        let uuid: String, title: String, description: String, statement: String
        /// The residual rating and the acceptance, in Fieldbook's namespace (OSCAL has no residual risk).
        var props: [FieldbookProp]? = nil
        let status: String
        let characterizations: [Characterization]?
        /// The risk's treatment: its option and the controls implementing it.
        var remediations: [Remediation]? = nil
        let relatedObservations: [RelatedObservation]?
        enum CodingKeys: String, CodingKey {
            case uuid, title, description, statement, props, status, characterizations, remediations
            case relatedObservations = "related-observations"
        }
    }

    /// A risk response: what is done about the risk (`lifecycle`: recommendation, planned, completed).
    struct Remediation: Encodable, Sendable {
        let uuid: String, lifecycle: String, title: String, description: String
        let props: [FieldbookProp]?
    }

    /// Facets of a risk (likelihood, impact, level) as someone recorded them.
    struct Characterization: Encodable, Sendable { let origin: Origin, facets: [Facet] }
    struct Origin: Encodable, Sendable { let actors: [Actor] }
    struct Actor: Encodable, Sendable {
        let type: String, actorUUID: String, roleID: String?
        enum CodingKeys: String, CodingKey { case type, actorUUID = "actor-uuid", roleID = "role-id" }
    }
    struct Facet: Encodable, Sendable {
        let name: String, value: String
        var system = OSCALProp.namespace
    }

    struct Finding: Encodable, Sendable {
        let uuid: String, title: String, description: String
        var props: [Prop]? = nil
        var remarks: String? = nil
        let target: Target
        let relatedObservations: [RelatedObservation]?
        let relatedRisks: [RelatedRisk]?
        enum CodingKeys: String, CodingKey {
            case uuid, title, description, props, remarks, target
            case relatedObservations = "related-observations", relatedRisks = "related-risks"
        }
    }

    struct Target: Encodable, Sendable {
        let type: String, targetID: String, title: String?
        let status: TargetStatus
        var implementationStatus: ImplementationStatus? = nil
        var props: [Prop]? = nil
        var remarks: String? = nil
        enum CodingKeys: String, CodingKey {
            case type, title, status, props, remarks, targetID = "target-id", implementationStatus = "implementation-status"
        }
    }

    struct TargetStatus: Encodable, Sendable {
        let state: String, reason: String
        var remarks: String? = nil
    }

    struct ImplementationStatus: Encodable, Sendable {
        let state: String
        var remarks: String? = nil
    }

    struct RelatedObservation: Encodable, Sendable {
        let observationUUID: String
        enum CodingKeys: String, CodingKey { case observationUUID = "observation-uuid" }
    }

    struct RelatedRisk: Encodable, Sendable {
        let riskUUID: String
        enum CodingKeys: String, CodingKey { case riskUUID = "risk-uuid" }
    }
}
