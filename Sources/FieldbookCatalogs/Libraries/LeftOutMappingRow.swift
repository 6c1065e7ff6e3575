/// A mapping row kept out of an engagement's catalogs because an end does not resolve: the
/// framework it names does not hold that node (CISO Assistant's ISO/IEC 42001 node `3.0`, a
/// requirement a newer framework version dropped), or the set's framework is not held at all.
/// Libraries people already keep must import, so such rows are counted and listed, never
/// allowed to sink the other rows.
public struct LeftOutMappingRow: Sendable, Hashable {
    /// The mapping set's URN.
    public let set: String
    /// The row's position in the set, from 1; nil when the whole set was left out.
    public let row: Int?
    /// The URN that did not resolve: a node, or the set's framework.
    public let unresolved: String
    /// Why, as a clause ("iso42001 does not define it").
    public let reason: String
    /// How many of the set's rows this stands for: 1, or every row of a set left out whole.
    public let rows: Int

    public init(set: String, row: Int?, unresolved: String, reason: String, rows: Int = 1) {
        self.set = set
        self.row = row
        self.unresolved = unresolved
        self.reason = reason
        self.rows = rows
    }
}
