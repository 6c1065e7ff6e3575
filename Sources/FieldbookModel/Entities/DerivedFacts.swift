/// The facts derived from fields, each defined once here beside the fields they come from, and
/// used by the store (the risk table's score and level columns), the typed entities, the reports
/// and every front end alike.

/// A risk's rating on the usual 5x5 matrix: score = likelihood x impact, level from the score.
/// Only a risk whose likelihood and impact are both known has one.
public struct RiskRating: Sendable, Hashable {
    public let likelihood: Int
    public let impact: Int

    public init(likelihood: Int, impact: Int) {
        self.likelihood = likelihood
        self.impact = impact
    }

    public init?(likelihood: Int?, impact: Int?) {
        guard let likelihood, let impact else { return nil }
        self.init(likelihood: likelihood, impact: impact)
    }

    /// The rating of a risk's fields as stored (`value` answers a field's current value).
    public init?(fields value: (String) -> FieldValue?) {
        guard case .integer(let likelihood)? = value(RiskField.likelihood.name),
              case .integer(let impact)? = value(RiskField.impact.name) else { return nil }
        self.init(likelihood: Int(likelihood), impact: Int(impact))
    }

    /// The residual rating of a risk's fields as stored: what is left after treatment.
    public init?(residualFields value: (String) -> FieldValue?) {
        guard case .integer(let likelihood)? = value(RiskField.residualLikelihood.name),
              case .integer(let impact)? = value(RiskField.residualImpact.name) else { return nil }
        self.init(likelihood: Int(likelihood), impact: Int(impact))
    }

    public var score: Int { likelihood * impact }
    public var level: RiskLevel { RiskLevel(score: score) }
}

/// Whether a risk needs its owner's acceptance (ISO/IEC 42001 6.1.3 f, ISO 31000 6.5.3): its
/// residual level, or its inherent level while no residual is rated, is above the engagement's
/// acceptance level. Without an acceptance level, or without a rating, none is needed.
public enum RiskAcceptance {
    /// The level judged against the acceptance level: the residual one when rated.
    public static func judgedLevel(inherent: RiskRating?, residual: RiskRating?) -> RiskLevel? {
        (residual ?? inherent)?.level
    }

    public static func isNeeded(inherent: RiskRating?, residual: RiskRating?, acceptanceLevel: RiskLevel?) -> Bool {
        guard let acceptanceLevel, let level = judgedLevel(inherent: inherent, residual: residual) else { return false }
        return level > acceptanceLevel
    }

    /// Needed, and nobody has accepted it.
    public static func isMissing(inherent: RiskRating?, residual: RiskRating?, acceptanceLevel: RiskLevel?, acceptedBy: String?) -> Bool {
        isNeeded(inherent: inherent, residual: residual, acceptanceLevel: acceptanceLevel) && (acceptedBy ?? "").allSatisfy(\.isWhitespace)
    }
}

/// When a finding's corrective action is overdue: not closed, and due before `today` (both
/// `YYYY-MM-DD`, which compare as text).
public enum CorrectiveActionDeadline {
    public static func isOverdue(status: FindingStatus?, due: String?, today: String) -> Bool {
        guard status != .closed, let due else { return false }
        return due < today
    }
}

/// When an evidence request is overdue: still waiting on the client (requested, or rejected and
/// asked again) and due before `today` (both `YYYY-MM-DD`). A request with no status yet is
/// read as requested.
public enum RequestDeadline {
    public static func isOverdue(status: RequestStatus?, due: String?, today: String) -> Bool {
        guard (status ?? .requested).isOutstanding, let due else { return false }
        return due < today
    }
}

/// The date an evidence file speaks for: the date it is as of, else the end of the period it
/// covers, else the day it was recorded (the only date an older file has). Staleness is judged
/// on it against the engagement's limit (`EvidenceAgeLimit`).
public enum EvidenceDate {
    public static func speaksFor(asOf: String?, periodTo: String?, recorded: String) -> String {
        asOf ?? periodTo ?? recorded
    }

    /// Whether evidence speaking for `date` is older than `limit` on `today`.
    public static func isStale(_ date: String, limit: EvidenceAgeLimit, today: String) -> Bool {
        guard let cutoff = limit.cutoff(today: today) else { return false }
        return date < cutoff
    }

    /// "as of 2026-03-31", "period 2026-01-01 to 2026-03-31": how registers and pages say the
    /// date evidence speaks for; nil when it records none.
    public static func label(asOf: String?, periodFrom: String?, periodTo: String?) -> String? {
        if let periodFrom, let periodTo { return "period \(periodFrom) to \(periodTo)" }
        return asOf.map { "as of " + $0 }
    }
}
