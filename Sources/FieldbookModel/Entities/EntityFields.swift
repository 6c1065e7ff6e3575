/// The one schema definition: each entity kind's fields, in the order its table stores
/// them, with what each holds. `EntitySchema` (validation), the workspace's tables and
/// columns, and the typed entities (`Risk`, `Finding`, ...) are all derived from these.
public protocol EntityField: RawRepresentable<String>, CaseIterable, Hashable, Sendable {
    /// The kind whose field this is.
    static var kind: EntityKind { get }
    /// What the field holds and which values it allows.
    var shape: FieldShape { get }
    /// Whether the field names the entity or a person (a title, a name, an owner): text that
    /// lists show as the entity's label, so a local edit may not leave it blank.
    var isLabel: Bool { get }
}

extension EntityField {
    /// The field's name in changes, JSON documents and the kind's table.
    public var name: String { rawValue }
    public var isLabel: Bool { false }
}

/// The engagement's fields.
public enum EngagementField: String, EntityField {
    case name, scope
    /// The highest risk level the organisation retains without an owner's acceptance
    /// (`RiskAcceptance`).
    case riskAcceptanceLevel = "risk_acceptance_level"
    /// How old evidence may be before it counts as stale (`EvidenceAgeLimit`: `12m`, `90d`).
    case staleAfter = "stale_after"

    public static let kind = EntityKind.engagement
    public var isLabel: Bool { self == .name }
    public var shape: FieldShape {
        switch self {
        case .name: .register(.text(maxLength: EntitySchema.titleLimit))
        case .scope: .register(.text(maxLength: EntitySchema.textLimit))
        case .riskAcceptanceLevel: .register(.choice(RiskLevel.self))
        case .staleAfter: .register(.ageLimit)
        }
    }
}

/// An assessment result's fields (the requirement is in its id).
public enum ResultField: String, EntityField {
    case status, maturity, note

    public static let kind = EntityKind.result
    public var shape: FieldShape {
        switch self {
        case .status: .register(.choice(AssessmentStatus.self))
        case .maturity: .register(.integer(0...5))
        case .note: .register(.text(maxLength: EntitySchema.textLimit))
        }
    }
}

/// A risk's fields; score and level are derived from likelihood and impact. Its treatment
/// (ISO/IEC 42001 6.1.3): the option, the controls treating it (`treated_by`, any framework's
/// requirements), the likelihood and impact left after treatment, and who accepted what is left.
public enum RiskField: String, EntityField {
    case title, description, likelihood, impact, owner, treatment, status, requirements, systems
    case treatedBy = "treated_by"
    case residualLikelihood = "residual_likelihood"
    case residualImpact = "residual_impact"
    case acceptedBy = "accepted_by"
    case acceptedOn = "accepted_on"
    case acceptanceNote = "acceptance_note"
    case deleted

    public static let kind = EntityKind.risk
    public var isLabel: Bool { self == .title || self == .owner || self == .acceptedBy }
    public var shape: FieldShape {
        switch self {
        case .title, .owner, .acceptedBy: .register(.text(maxLength: EntitySchema.titleLimit))
        case .description, .acceptanceNote: .register(.text(maxLength: EntitySchema.textLimit))
        case .likelihood, .impact, .residualLikelihood, .residualImpact: .register(.integer(1...5))
        case .treatment: .register(.choice(RiskTreatment.storedWords))
        case .acceptedOn: .register(.date)
        case .treatedBy: .linkSet(.requirement)
        case .status: .register(.choice(RiskStatus.self))
        case .requirements: .linkSet(.requirement)
        case .systems: .linkSet(.entity(.system))
        case .deleted: .register(.boolean)
        }
    }
}

/// An evidence file's fields; the bytes live in the object store under `sha256`. The date it
/// speaks for (`as_of`, or the period `period_from` to `period_to`) is kept apart from when it
/// was recorded (issue 30): a policy approved in 2024 and attached today speaks for 2024.
public enum EvidenceField: String, EntityField {
    case filename, sha256, size, description
    case asOf = "as_of"
    case periodFrom = "period_from"
    case periodTo = "period_to"
    case requirements, systems, deleted

    public static let kind = EntityKind.evidence
    public var isLabel: Bool { self == .filename }
    public var shape: FieldShape {
        switch self {
        case .filename: .register(.text(maxLength: EntitySchema.titleLimit))
        case .sha256: .register(.sha256)
        case .size: .register(.integer(0...Int64.max))
        case .description: .register(.text(maxLength: EntitySchema.textLimit))
        case .asOf, .periodFrom, .periodTo: .register(.date)
        case .requirements: .linkSet(.requirement)
        case .systems: .linkSet(.entity(.system))
        case .deleted: .register(.boolean)
        }
    }
}

/// A finding's fields (ISO/IEC 42001 10.2): its grade, and for a nonconformity the correction,
/// root cause, corrective action and the verification of its effectiveness (who, when, result,
/// evidence), or the reason it was closed without one.
public enum FindingField: String, EntityField {
    case title, description, severity, status
    case correctiveAction = "corrective_action"
    case owner, due, source
    case correction
    case rootCause = "root_cause"
    case verifiedBy = "verified_by"
    case verifiedOn = "verified_on"
    case verification
    case closedWithoutVerification = "closed_without_verification"
    case requirements, systems
    case verificationEvidence = "verification_evidence"
    case deleted

    public static let kind = EntityKind.finding
    public var isLabel: Bool { self == .title || self == .owner || self == .verifiedBy }
    public var shape: FieldShape {
        switch self {
        case .title, .owner, .verifiedBy: .register(.text(maxLength: EntitySchema.titleLimit))
        case .description, .correctiveAction, .correction, .rootCause, .closedWithoutVerification:
            .register(.text(maxLength: EntitySchema.textLimit))
        case .severity: .register(.choice(FindingSeverity.self))
        case .status: .register(.choice(FindingStatus.self))
        case .verification: .register(.choice(VerificationResult.self))
        case .due, .verifiedOn: .register(.date)
        case .verificationEvidence: .linkSet(.entity(.evidence))
        case .source: .register(.choice(FindingSource.self))
        case .requirements: .linkSet(.requirement)
        case .systems: .linkSet(.entity(.system))
        case .deleted: .register(.boolean)
        }
    }
}

/// An AI system's fields.
public enum SystemField: String, EntityField {
    case name, purpose, owner, stage
    case riskTier = "risk_tier"
    case inScope = "in_scope"
    case deleted

    public static let kind = EntityKind.system
    public var isLabel: Bool { self == .name || self == .owner }
    public var shape: FieldShape {
        switch self {
        case .name, .owner: .register(.text(maxLength: EntitySchema.titleLimit))
        case .purpose: .register(.text(maxLength: EntitySchema.textLimit))
        case .stage: .register(.choice(SystemStage.self))
        case .riskTier: .register(.choice(RiskTier.self))
        case .inScope, .deleted: .register(.boolean)
        }
    }
}

/// An impact assessment's fields.
public enum ImpactField: String, EntityField {
    case summary, affected, societal, severity, likelihood, date, systems, evidence, deleted

    public static let kind = EntityKind.impact
    public var shape: FieldShape {
        switch self {
        case .summary, .affected, .societal: .register(.text(maxLength: EntitySchema.textLimit))
        case .severity, .likelihood: .register(.integer(1...5))
        case .date: .register(.date)
        case .systems: .linkSet(.entity(.system))
        case .evidence: .linkSet(.entity(.evidence))
        case .deleted: .register(.boolean)
        }
    }
}

/// A Statement of Applicability entry's fields (the control is in its id).
public enum ApplicabilityField: String, EntityField {
    case applicability, justification, reason

    public static let kind = EntityKind.applicability
    public var shape: FieldShape {
        switch self {
        case .applicability: .register(.choice(Applicability.self))
        case .justification: .register(.text(maxLength: EntitySchema.textLimit))
        case .reason: .register(.choice(ApplicabilityReason.self))
        }
    }
}

/// A pinned library's fields (the library's URN is in its id). The bytes, in their canonical
/// form, live in the object store under `sha256`; the other fields repeat what they say, so
/// a list needs no parsing. `content` says what the library defines (named so, not `kind`,
/// which every entity document already uses for the entity's kind).
public enum LibraryField: String, EntityField {
    case name, version, sha256, framework, content, deleted

    public static let kind = EntityKind.library
    public var isLabel: Bool { self == .name }
    public var shape: FieldShape {
        switch self {
        case .name: .register(.text(maxLength: EntitySchema.titleLimit))
        case .version: .register(.integer(0...Int64.max))
        case .sha256: .register(.sha256)
        case .framework: .register(.text(maxLength: EntityID.maximumLength))
        case .content: .register(.choice(LibraryContent.self))
        case .deleted: .register(.boolean)
        }
    }
}

/// An evidence request's fields (issue 30): what is asked (`title`, `description`), of whom
/// (`contact`; `from` is an SQL keyword), by when, where it stands, what the client said back
/// (`client_comment`), the requirements it serves and the evidence files that answered it.
public enum RequestField: String, EntityField {
    case title, description, contact, due, status
    case clientComment = "client_comment"
    case requirements, evidence, deleted

    public static let kind = EntityKind.request
    public var isLabel: Bool { self == .title || self == .contact }
    public var shape: FieldShape {
        switch self {
        case .title, .contact: .register(.text(maxLength: EntitySchema.titleLimit))
        case .description, .clientComment: .register(.text(maxLength: EntitySchema.textLimit))
        case .due: .register(.date)
        case .status: .register(.choice(RequestStatus.self))
        case .requirements: .linkSet(.requirement)
        case .evidence: .linkSet(.entity(.evidence))
        case .deleted: .register(.boolean)
        }
    }
}

/// An interview's fields (issue 30): who was interviewed and in what role (`--with "NAME,
/// ROLE"`), when, the notes taken, and the requirements it speaks to.
public enum InterviewField: String, EntityField {
    case interviewee, role, date, notes, requirements, deleted

    public static let kind = EntityKind.interview
    public var isLabel: Bool { self == .interviewee }
    public var shape: FieldShape {
        switch self {
        case .interviewee, .role: .register(.text(maxLength: EntitySchema.titleLimit))
        case .date: .register(.date)
        case .notes: .register(.text(maxLength: EntitySchema.textLimit))
        case .requirements: .linkSet(.requirement)
        case .deleted: .register(.boolean)
        }
    }
}

/// A sampled test's fields (issue 30): what is tested, against which requirements, and the
/// recorded draw anyone can repeat (`SampleDraw`): the population file's name, SHA-256, row
/// count and header, the seed, the sample size, the control frequency it came from (when it
/// came from one) and the selection method.
public enum TestField: String, EntityField {
    case title, description
    case populationFile = "population_file"
    case populationSHA256 = "population_sha256"
    case populationRows = "population_rows"
    case populationHeader = "population_header"
    case seed, size, frequency, method, requirements, deleted

    public static let kind = EntityKind.test
    public var isLabel: Bool { self == .title }
    public var shape: FieldShape {
        switch self {
        case .title, .populationFile: .register(.text(maxLength: EntitySchema.titleLimit))
        case .description, .populationHeader: .register(.text(maxLength: EntitySchema.textLimit))
        case .populationSHA256: .register(.sha256)
        case .populationRows, .size: .register(.integer(1...Int64.max))
        case .seed: .register(.integer(0...Int64.max))
        case .frequency: .register(.choice(ControlFrequency.self))
        case .method: .register(.choice(SamplingMethod.self))
        case .requirements: .linkSet(.requirement)
        case .deleted: .register(.boolean)
        }
    }
}

/// A sampled item's fields (issue 30): the test that drew it, its row in the population file
/// and the text of the row's first column (`key`), its place in the draw, and what testing it
/// found (`result`, the exception's text, the evidence looked at, the findings it raised).
public enum SampleField: String, EntityField {
    case test, row, key, draw, result, exception, evidence, findings

    public static let kind = EntityKind.sample
    public var shape: FieldShape {
        switch self {
        case .test: .linkSet(.entity(.test))
        case .row, .draw: .register(.integer(1...Int64.max))
        case .key: .register(.text(maxLength: EntitySchema.titleLimit))
        case .result: .register(.choice(SampleResult.self))
        case .exception: .register(.text(maxLength: EntitySchema.textLimit))
        case .evidence: .linkSet(.entity(.evidence))
        case .findings: .linkSet(.entity(.finding))
        }
    }
}

/// A revocation's fields (issue 31): the revoked site's last counter that stays valid (its
/// changes up to it were made honestly and are kept; every later one is refused), that
/// change's `ChangeHash` in hex (so the revocation, signed by the engagement's key, vouches for
/// the site's history up to it when the signature that covered it went with later changes),
/// and why. The site is in the id (`EntityID.revocation(of:)`).
public enum RevocationField: String, EntityField {
    case lastValid = "last_valid"
    case lastValidHash = "last_valid_hash"
    case reason

    public static let kind = EntityKind.revocation
    public var shape: FieldShape {
        switch self {
        case .lastValid: .register(.integer(0...Int64.max))
        case .lastValidHash: .register(.sha256)
        case .reason: .register(.text(maxLength: EntitySchema.textLimit))
        }
    }
}

extension FieldConstraint {
    /// A choice among a vocabulary's raw values (what users type and what is stored).
    static func choice<Vocabulary: RawRepresentable<String> & CaseIterable>(_ vocabulary: Vocabulary.Type) -> FieldConstraint {
        .choice(vocabulary.allCases.map(\.rawValue))
    }
}

extension EntityKind {
    /// The enum defining the kind's fields.
    var fieldType: any EntityField.Type {
        switch self {
        case .engagement: EngagementField.self
        case .result: ResultField.self
        case .risk: RiskField.self
        case .evidence: EvidenceField.self
        case .finding: FindingField.self
        case .system: SystemField.self
        case .impact: ImpactField.self
        case .applicability: ApplicabilityField.self
        case .library: LibraryField.self
        case .request: RequestField.self
        case .interview: InterviewField.self
        case .test: TestField.self
        case .sample: SampleField.self
        case .revocation: RevocationField.self
        }
    }

    /// The kind's field definition, as (name, shape) in table order.
    public var fieldDefinitions: [(name: String, shape: FieldShape)] { fieldType.definitions }

    /// The kind's label fields (`EntityField.isLabel`).
    var labelFields: Set<String> { fieldType.labelNames }

    /// The field naming an object of the object store by its SHA-256, for the kinds whose
    /// bytes travel with them (bundles, sync, clone): evidence files and pinned libraries.
    public var objectField: String? {
        switch self {
        case .evidence: EvidenceField.sha256.name
        case .library: LibraryField.sha256.name
        default: nil
        }
    }

    /// The kinds whose entities name objects (`objectField`).
    public static let objectKinds: [EntityKind] = allCases.filter { $0.objectField != nil }
}

extension EntityField {
    static var definitions: [(name: String, shape: FieldShape)] { allCases.map { ($0.name, $0.shape) } }
    static var labelNames: Set<String> { Set(allCases.filter(\.isLabel).map(\.name)) }
}

