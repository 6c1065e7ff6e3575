import FieldbookModel

extension Change {
    /// The protocol a reader needs to accept this change (`SchemaHistory`).
    public var neededProtocol: ProtocolVersion { SchemaHistory.needed(kind: kind, field: field, value: value) }
}

extension Sequence<Change> {
    /// The protocol a reader needs to accept every one of these changes.
    public var neededProtocol: ProtocolVersion {
        var needed = ProtocolVersion.v1
        for change in self where needed < .current {
            needed = Swift.max(needed, change.neededProtocol)
        }
        return needed
    }
}
