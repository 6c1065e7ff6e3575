/// The closed vocabularies of the domain. Raw values are what users type and what is stored.
public enum AssessmentStatus: String, Sendable, Codable, CaseIterable {
    case compliant
    case partiallyCompliant = "partially-compliant"
    case nonCompliant = "non-compliant"
    case notApplicable = "not-applicable"
    case notAssessed = "not-assessed"

    /// Whether the result records an actual judgement (everything but not-assessed).
    public var isAssessed: Bool { self != .notAssessed }
}

/// How a risk is treated (ISO/IEC 42001 6.1.3, AI RMF MANAGE 1.3), in ISO 31000's words: modify
/// the risk (by controls), avoid it, share it, retain it. Releases before issue 29 wrote mitigate,
/// accept and transfer: older data and peers still hold them, so they stay valid stored values
/// (`storedWords`) and read as the option they name; nothing new writes them, and nothing
/// rewrites them.
public enum RiskTreatment: String, Sendable, Codable, CaseIterable {
    case modify, avoid, share, retain

    /// The words of earlier releases, and the option each names.
    public static let formerWords: [String: RiskTreatment] = ["mitigate": .modify, "accept": .retain, "transfer": .share]

    /// Every word a stored treatment may hold: the options, then the former words.
    public static let storedWords = allCases.map(\.rawValue) + ["mitigate", "accept", "transfer"]

    /// The option a stored or typed word names, a former word included (`mitigate` is `modify`).
    public init?(rawValue: String) {
        switch rawValue {
        case "modify": self = .modify
        case "avoid": self = .avoid
        case "share": self = .share
        case "retain": self = .retain
        default:
            guard let former = Self.formerWords[rawValue] else { return nil }
            self = former
        }
    }
}

/// Where a risk stands in its treatment.
public enum RiskStatus: String, Sendable, Codable, CaseIterable {
    case open, mitigated, closed
}

/// A finding's grade as certification auditors give it: a major or minor nonconformity (a major
/// one blocks certification until closed), an observation, or an opportunity for improvement.
public enum FindingSeverity: String, Sendable, Codable, CaseIterable {
    case minor, major
    case observation
    case opportunityForImprovement = "opportunity-for-improvement"

    /// The nonconformity grades, least severe first. A nonconformity (ISO/IEC 42001 10.2) closes
    /// only once its correction is verified effective, or by an override saying why.
    public static let nonconformityGrades: [FindingSeverity] = [.minor, .major]

    public var isNonconformity: Bool { Self.nonconformityGrades.contains(self) }

    /// Where a grade sorts, worst first: major, minor, none yet (a finding is read as a
    /// nonconformity until graded), observation, opportunity for improvement.
    public static func rank(_ grade: FindingSeverity?) -> Int {
        switch grade {
        case .major?: 0
        case .minor?: 1
        case nil: 2
        case .observation?: 3
        case .opportunityForImprovement?: 4
        }
    }
}

/// Whether a nonconformity's correction and corrective action proved effective (ISO/IEC 42001 10.2 d).
public enum VerificationResult: String, Sendable, Codable, CaseIterable {
    case effective
    case notEffective = "not-effective"
}

/// Where a finding's corrective action stands.
public enum FindingStatus: String, Sendable, Codable, CaseIterable {
    case open
    case inProgress = "in-progress"
    case closed
}

/// Which activity raised a finding (ISO/IEC 42001 9.2 internal audit, or others).
public enum FindingSource: String, Sendable, Codable, CaseIterable {
    case internalAudit = "internal-audit"
    case externalAudit = "external-audit"
    case selfAssessment = "self-assessment"
}

/// An AI system's life-cycle stage.
public enum SystemStage: String, Sendable, Codable, CaseIterable {
    case design, development, deployed, retired
}

/// The risk tier the organisation gives an AI system.
public enum RiskTier: String, Sendable, Codable, CaseIterable {
    case low, medium, high
}

/// Whether an Annex A control is in the Statement of Applicability.
public enum Applicability: String, Sendable, Codable, CaseIterable {
    case included, excluded
}

/// Why an Annex A control is included or excluded, beside the justification's words
/// (ISO/IEC 42001 6.1.3 d: the SoA justifies each inclusion and exclusion).
public enum ApplicabilityReason: String, Sendable, Codable, CaseIterable {
    case riskTreatment = "risk-treatment"
    case legal, contractual, business
    case clientChoice = "client-choice"
}

/// Where an evidence request stands: asked for, answered by the client, accepted or rejected by
/// the assessor, or no longer needed.
public enum RequestStatus: String, Sendable, Codable, CaseIterable {
    case requested, received, accepted, rejected, cancelled

    /// Still waiting on the client: asked for, or sent back as not good enough.
    public var isOutstanding: Bool { self == .requested || self == .rejected }
}

/// How often a control operates, which sets a sampled test's size when none is given
/// (`docs/sampling.md` gives the table, its source and why the upper end of each range).
public enum ControlFrequency: String, Sendable, Codable, CaseIterable {
    case annual, quarterly, monthly, weekly, daily
    case multipleDaily = "multiple-daily"

    /// The sample size for a control operating this often: the upper end of the range the
    /// practice table gives (annual 1, quarterly 2, monthly 2-5, weekly 5-15, daily 20-40,
    /// several times a day 25-60).
    public var sampleSize: Int {
        switch self {
        case .annual: 1
        case .quarterly: 2
        case .monthly: 5
        case .weekly: 15
        case .daily: 40
        case .multipleDaily: 60
        }
    }
}

/// How a test's items were drawn: `splitmix64-fisher-yates` is SplitMix64 seeded with the seed,
/// a partial Fisher-Yates shuffle over the population's rows in file order (`SampleDraw`).
/// A new method would be a new word, so a recorded test always redraws by its own.
public enum SamplingMethod: String, Sendable, Codable, CaseIterable {
    case splitmix64FisherYates = "splitmix64-fisher-yates"
}

/// What testing a sampled item found.
public enum SampleResult: String, Sendable, Codable, CaseIterable {
    case pass, exception
}

/// What a pinned library defines: a framework, mapping sets between frameworks, or both.
public enum LibraryContent: String, Sendable, Codable, CaseIterable {
    case framework, mapping, both
}

/// A risk's level from its likelihood x impact score (1...25) on the usual 5x5 matrix.
public enum RiskLevel: String, Sendable, Codable, CaseIterable, Comparable {
    case low, medium, high, critical

    /// The level of a likelihood x impact score (`RiskRating.score`).
    public init(score: Int) {
        switch score {
        case ..<5: self = .low
        case 5..<10: self = .medium
        case 10..<17: self = .high
        default: self = .critical
        }
    }

    public static func < (lhs: RiskLevel, rhs: RiskLevel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
