import FieldbookModel
import Foundation

/// What a change does to its field.
public enum Operation: String, Sendable, Hashable, Codable {
    /// Writes a single-valued field (multi-value register).
    case set
    /// Adds the value (a link) to a link set; the add is named by the change's dot.
    case add
    /// Removes the adds of the value that the writer had seen (the dots in `supersedes`).
    case remove
}

/// One edit, as made on one replica. Changes are immutable; state is a pure function of the
/// set of changes, so replicas that hold the same changes show the same state.
///
/// Two copies of one change are equal when their content and history link are: the key and
/// signature that travel with a copy depend on the batch it came in (a chain head's signature
/// covers the changes before it, see `ChainVerifier`), not on the change.
public struct Change: Sendable, Hashable, Codable {
    /// The fields, held once: a change is copied many times on its way from a batch to the log
    /// (intake, liveness, materialisation), and a copy is then one reference count, not one for
    /// each of its ten strings, lists and byte buffers (issue 33's profile: copying changes was
    /// a quarter of applying a pulled page).
    private final class Storage: Sendable {
        let dot: Dot
        let hlc: HLCTimestamp
        let author: String
        let entity: EntityID
        let kind: EntityKind
        let field: String
        let operation: Operation
        let value: FieldValue
        let supersedes: [Dot]
        let publicKey: Data
        let signature: Data
        let prev: Data

        init(dot: Dot, hlc: HLCTimestamp, author: String, entity: EntityID, kind: EntityKind, field: String,
             operation: Operation, value: FieldValue, supersedes: [Dot], publicKey: Data, signature: Data, prev: Data) {
            self.dot = dot
            self.hlc = hlc
            self.author = author
            self.entity = entity
            self.kind = kind
            self.field = field
            self.operation = operation
            self.value = value
            self.supersedes = supersedes
            self.publicKey = publicKey
            self.signature = signature
            self.prev = prev
        }
    }

    private let storage: Storage

    public var dot: Dot { storage.dot }
    public var hlc: HLCTimestamp { storage.hlc }
    /// The assessor who made it.
    public var author: String { storage.author }
    public var entity: EntityID { storage.entity }
    public var kind: EntityKind { storage.kind }
    /// The field's name in `EntitySchema`; `EntitySchema.deletedField` for a tombstone or its lifting.
    public var field: String { storage.field }
    public var operation: Operation { storage.operation }
    public var value: FieldValue { storage.value }
    /// For `set`: the live values of this field the writer had seen (for a tombstone, every
    /// live value of the entity). For `remove`: the add dots of the link being removed.
    public var supersedes: [Dot] { storage.supersedes }
    /// The writer's Ed25519 public key (32 bytes); the site id is derived from it.
    public var publicKey: Data { storage.publicKey }
    /// 64 bytes or empty. For a chained change, Ed25519 over its `ChangeHash` (a chain head's
    /// signature, covering every change before it); for a legacy change (format 3 and
    /// earlier), over `ChangeSignature.signedBytes(self)`.
    public var signature: Data { storage.signature }
    /// The `ChangeHash` of the site's previous change (32 zero bytes before a site's first),
    /// so a change commits to everything its site wrote before it; empty for a legacy change,
    /// which was signed alone.
    public var prev: Data { storage.prev }

    public init(dot: Dot, hlc: HLCTimestamp, author: String, entity: EntityID, kind: EntityKind, field: String,
                operation: Operation = .set, value: FieldValue, supersedes: [Dot] = [],
                publicKey: Data = Data(), signature: Data = Data(), prev: Data = Data()) {
        storage = Storage(dot: dot, hlc: hlc, author: author, entity: entity, kind: kind, field: field, operation: operation,
                          value: value, supersedes: supersedes, publicKey: publicKey, signature: signature, prev: prev)
    }

    /// The same change carrying a key and signature (or none, for the bytes that are signed).
    public func with(publicKey: Data, signature: Data) -> Change {
        Change(dot: dot, hlc: hlc, author: author, entity: entity, kind: kind, field: field, operation: operation,
               value: value, supersedes: supersedes, publicKey: publicKey, signature: signature, prev: prev)
    }

    /// The same change linked to the site's previous change.
    public func with(prev: Data) -> Change {
        Change(dot: dot, hlc: hlc, author: author, entity: entity, kind: kind, field: field, operation: operation,
               value: value, supersedes: supersedes, publicKey: publicKey, signature: signature, prev: prev)
    }

    /// Whether the change is part of its site's hash chain (format 4 on), rather than a legacy
    /// change signed alone.
    public var isChained: Bool { prev.count == ChangeHash.length }

    public static func == (lhs: Change, rhs: Change) -> Bool {
        lhs.dot == rhs.dot && lhs.hlc == rhs.hlc && lhs.author == rhs.author && lhs.entity == rhs.entity
            && lhs.kind == rhs.kind && lhs.field == rhs.field && lhs.operation == rhs.operation && lhs.value == rhs.value
            && lhs.supersedes == rhs.supersedes && lhs.prev == rhs.prev
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(dot)
        hasher.combine(hlc)
        hasher.combine(field)
        hasher.combine(value)
    }

    /// The register this change belongs to: the field, or one element of a link set.
    public var registerKey: RegisterKey {
        RegisterKey(entity: entity, field: field, element: operation == .set ? nil : value.description)
    }

    /// Total order among concurrent values: the greatest (HLC, site) is the one shown.
    public func precedes(_ other: Change) -> Bool {
        if hlc != other.hlc { return hlc < other.hlc }
        if dot.site != other.dot.site { return dot.site < other.dot.site }
        return dot.counter < other.dot.counter
    }

    /// Whether the change deletes its entity.
    public var isTombstone: Bool {
        field == EntitySchema.deletedField && value == .boolean(true)
    }

    // Short keys keep the encoding compact; the format version lives on the batch.
    private enum CodingKeys: String, CodingKey {
        case dot = "d", hlc = "h", author = "a", entity = "e", kind = "k", field = "f"
        case operation = "o", value = "v", supersedes = "s", publicKey = "pk", signature = "sg", prev = "p"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let dot = try c.decode(Dot.self, forKey: .dot)
        let hlc = try c.decode(HLCTimestamp.self, forKey: .hlc)
        let author = try c.decode(String.self, forKey: .author)
        let entity = try c.decode(EntityID.self, forKey: .entity)
        let kind = try c.decode(EntityKind.self, forKey: .kind)
        let field = try c.decode(String.self, forKey: .field)
        let operation = try c.decodeIfPresent(Operation.self, forKey: .operation) ?? .set
        let value = try c.decode(FieldValue.self, forKey: .value)
        let supersedes = try c.decodeIfPresent([Dot].self, forKey: .supersedes) ?? []
        let publicKey = try c.decodeIfPresent(Data.self, forKey: .publicKey) ?? Data()
        let signature = try c.decodeIfPresent(Data.self, forKey: .signature) ?? Data()
        let prev = try c.decodeIfPresent(Data.self, forKey: .prev) ?? Data()
        self.init(dot: dot, hlc: hlc, author: author, entity: entity, kind: kind, field: field, operation: operation,
                  value: value, supersedes: supersedes, publicKey: publicKey, signature: signature, prev: prev)
        guard [0, 32].contains(publicKey.count), [0, 64].contains(signature.count), [0, ChangeHash.length].contains(prev.count) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "a key and a history link are 32 bytes and a signature 64"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(dot, forKey: .dot)
        try c.encode(hlc, forKey: .hlc)
        try c.encode(author, forKey: .author)
        try c.encode(entity, forKey: .entity)
        try c.encode(kind, forKey: .kind)
        try c.encode(field, forKey: .field)
        if operation != .set { try c.encode(operation, forKey: .operation) }
        try c.encode(value, forKey: .value)
        if !supersedes.isEmpty { try c.encode(supersedes, forKey: .supersedes) }
        if !publicKey.isEmpty { try c.encode(publicKey, forKey: .publicKey) }
        if !signature.isEmpty { try c.encode(signature, forKey: .signature) }
        if !prev.isEmpty { try c.encode(prev, forKey: .prev) }
    }
}

/// A register: one field of one entity, or one element of one link set.
public struct RegisterKey: Sendable, Hashable, Comparable {
    public let entity: EntityID
    public let field: String
    /// The linked id, for a link-set register; nil for a field.
    public let element: String?

    public init(entity: EntityID, field: String, element: String? = nil) {
        self.entity = entity
        self.field = field
        self.element = element
    }

    public static func < (lhs: RegisterKey, rhs: RegisterKey) -> Bool {
        (lhs.entity, lhs.field, lhs.element ?? "") < (rhs.entity, rhs.field, rhs.element ?? "")
    }
}
