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

    public var score: Int { likelihood * impact }
    public var level: RiskLevel { RiskLevel(score: score) }
}

/// When a finding's corrective action is overdue: not closed, and due before `today` (both
/// `YYYY-MM-DD`, which compare as text).
public enum CorrectiveActionDeadline {
    public static func isOverdue(status: FindingStatus?, due: String?, today: String) -> Bool {
        guard status != .closed, let due else { return false }
        return due < today
    }
}
