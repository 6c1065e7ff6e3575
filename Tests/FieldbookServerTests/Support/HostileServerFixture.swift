import FieldbookReplica
import FieldbookTestSupport
import Foundation
import Testing

/// One hostile request against the server, from `Fixtures/hostile/server/<name>.json`
/// (the fields are described in `Fixtures/hostile/README.md`). Adding a case is adding a file.
struct HostileServerFixture: Decodable, Sendable, CustomTestStringConvertible {
    /// How a body is made at test time, so no committed file goes stale or weighs megabytes.
    struct Generator: Decodable, Sendable {
        /// Text: `prefix`, then `repeat` `count` times, then `suffix` (deep nesting, huge strings).
        var prefix: String?
        var `repeat`: String?
        var count: Int?
        var suffix: String?
        /// A change batch in the JSON format 1 form (`{"format":1,"changes":[...]}` short keys,
        /// placeholders allowed), decoded with `ChangeBatch.decode` and sent in `encoding`.
        var batch: JSONValue?
        /// Instead of `batch`: the binary batch the server itself returns for the seeded
        /// engagement (real changes of the real client), for replays and byte mutations.
        var pulled: Bool?
        /// With `pulled`: the first change's signature altered by one bit (a forgery).
        var forge_signature: Bool?
        /// With `pulled`: an attack on hash-linked history (`HostileServerFixture.chainAttack`):
        /// `drop-middle`, `swap`, `move-head` or `replay-head`.
        var chain_attack: String?
        /// "binary" (default, `ChangeBatch.encoded()`) or "json" (`encodedJSON()`).
        var encoding: String?
        /// Sign each change of `batch` with a new key (its dots then name that key's site), so
        /// the server's later checks are the ones a case reaches, not the signature check.
        var sign: Bool?
        /// Byte mutations applied in order to the encoded batch.
        var mutations: [Mutation]?
    }

    struct Mutation: Decodable, Sendable {
        /// Drop the last N bytes.
        var truncate_by: Int?
        /// Keep the first N bytes.
        var truncate_to: Int?
        /// Replace the first length-prefixed string `from` of a binary batch's string table
        /// with `to` (or `to_hex` bytes), rewriting the length prefix.
        var replace_string: ReplaceString?
        /// Set one byte (offset counted from the start, or from the end when negative).
        var set_byte: SetByte?
        /// Append raw bytes.
        var append_hex: String?
    }

    struct ReplaceString: Decodable, Sendable {
        var from: String
        var to: String?
        var to_hex: String?
    }

    /// Sets one byte to `value`, or adds `add` to it (the next format, whatever the current is).
    struct SetByte: Decodable, Sendable {
        var offset: Int
        var value: UInt8?
        var add: UInt8?
    }

    var name = ""
    let description: String
    let method: String
    let path: String
    var headers: [String: String]?
    /// valid | none | other-engagement | revoked | garbage | dotdot-engagement
    var token: String?
    var body: String?
    /// A JSON document (strings starting with "=" are written raw, see `JSONValue`).
    var body_json: JSONValue?
    var body_base64: String?
    var body_file: String?
    var body_generator: Generator?
    /// "shared" (default: the seeded engagement) or "fresh" (a new, empty one for this case).
    var engagement: String?
    /// Send the request this many times (replays); the state is compared around the last one,
    /// and every earlier answer must be 2xx.
    var send_times: Int?
    let expect_status: Int
    /// For error statuses: the `{"error":{"message"}}` body and one sentence (default true;
    /// HEAD answers and errors of the HTTP parser below the application carry no body).
    var expect_json_error: Bool?
    var message_contains: String?
    /// For 2xx answers: keys the JSON answer must hold with these values.
    var expect_json: [String: JSONValue]?
    /// The documented behaviour is not met yet: the failures are recorded as a known issue.
    var known_issue: String?

    var testDescription: String { name }

    enum CodingKeys: String, CodingKey {
        case description, method, path, headers, token, body, body_json, body_base64, body_file, body_generator, engagement
        case send_times, expect_status, expect_json_error, message_contains, expect_json, known_issue
    }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/hostile/server")

    static func all() -> [HostileServerFixture] {
        let files = ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "json" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        return files.map { file in
            do {
                var fixture = try JSONDecoder().decode(HostileServerFixture.self, from: Data(contentsOf: file))
                fixture.name = file.deletingPathExtension().lastPathComponent
                return fixture
            } catch {
                // A fixture that does not parse is reported as a failing case of its own name.
                return HostileServerFixture(name: file.deletingPathExtension().lastPathComponent,
                                            description: "unreadable fixture: \(error)", method: "GET", path: "/", expect_status: -1)
            }
        }
    }

    init(name: String, description: String, method: String, path: String, expect_status: Int) {
        self.name = name
        self.description = description
        self.method = method
        self.path = path
        self.expect_status = expect_status
    }
}

/// Any JSON value, for fixture fields that hold documents.
enum JSONValue: Decodable, Sendable, Equatable, CustomStringConvertible {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    /// Compact JSON text (numbers written as integers when they are).
    var description: String {
        switch self {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .number(let value): value.rounded() == value && abs(value) < 1e18 ? String(Int64(value)) : String(value)
        // "=TEXT" is written as TEXT itself: numbers no Double holds (1e400, 2^64), placeholders.
        case .string(let value) where value.hasPrefix("="): String(value.dropFirst())
        case .string(let value): String(decoding: try! JSONEncoder().encode(value), as: UTF8.self)
        case .array(let values): "[" + values.map(\.description).joined(separator: ",") + "]"
        case .object(let members): "{" + members.sorted { $0.key < $1.key }.map { "\(JSONValue.string($0.key)):\($0.value)" }.joined(separator: ",") + "}"
        }
    }
}

/// The placeholders of fixture text (see `HostileInput.expand`): `{engagement}`,
/// `{other_engagement}`, `{blob_sha}`, `{missing_sha}`, `{site}`, `{now_hlc}`, `{future_hlc}`,
/// `{seeded_dot}`, `{seeded_risk}`, plus `{repeat:TEXT:COUNT}` and `{byte:XX}`.
struct Placeholders {
    var values: [String: String]

    func expand(_ text: String) -> [UInt8] { HostileInput.expand(text, values) }
}

extension HostileServerFixture {
    /// The body bytes, generated or read as the fixture says.
    func makeBody(_ placeholders: Placeholders, pulledBatch: Data) throws -> Data? {
        if let body { return Data(placeholders.expand(body)) }
        if let body_json { return Data(placeholders.expand(body_json.description)) }
        if let body_base64 {
            // Typed Data: returned directly, #require would unwrap to this function's Data? and
            // warn that its argument is never nil.
            let decoded: Data = try #require(Data(base64Encoded: body_base64), "body_base64 of \(name) is not base64")
            return decoded
        }
        if let body_file { return try Data(contentsOf: Self.folder.appendingPathComponent(body_file)) }
        guard let generator = body_generator else { return nil }
        var data: Data
        if generator.pulled == true, let attack = generator.chain_attack {
            data = try Self.chainAttack(attack, on: ChangeBatch.decode(pulledBatch).changes, fixture: name)
        } else if generator.pulled == true {
            data = pulledBatch
            if generator.forge_signature == true {
                // The first signature the batch carries: the head of its run.
                var changes = try ChangeBatch.decode(pulledBatch).changes
                let signed = try #require(changes.firstIndex { $0.signature.count == 64 }, "\(name): the pulled batch carries no signature")
                var signature = [UInt8](changes[signed].signature)
                signature[signature.count - 1] ^= 1
                changes[signed] = changes[signed].with(publicKey: changes[signed].publicKey, signature: Data(signature))
                data = ChangeBatch(changes).encoded()
            }
        } else if let batch = generator.batch {
            let json = Data(placeholders.expand(batch.description))
            var decoded = try ChangeBatch.decode(json)
            if generator.sign == true { decoded = Self.signed(decoded) }
            data = generator.encoding == "json" ? decoded.encodedJSON() : decoded.encoded()
        } else {
            var text = Data(placeholders.expand(generator.prefix ?? ""))
            if let unit = generator.repeat, let count = generator.count {
                let piece = Data(placeholders.expand(unit))
                text.reserveCapacity(text.count + piece.count * count + 64)
                for _ in 0..<count { text.append(piece) }
            }
            text.append(Data(placeholders.expand(generator.suffix ?? "")))
            data = text
        }
        for mutation in generator.mutations ?? [] { data = try mutation.apply(to: data, fixture: name) }
        return data
    }
}

extension HostileServerFixture {
    /// The batch with every change moved to one new signing key's site and signed.
    static func signed(_ batch: ChangeBatch) -> ChangeBatch {
        let signer = ChangeSigner()
        let sites = Set(batch.changes.map(\.dot.site))
        func moved(_ dot: Dot) -> Dot { sites.contains(dot.site) ? Dot(site: signer.site, counter: dot.counter) : dot }
        return ChangeBatch(batch.changes.map { change in
            signer.sign(Change(dot: moved(change.dot), hlc: change.hlc, author: change.author, entity: change.entity, kind: change.kind,
                               field: change.field, operation: change.operation, value: change.value, supersedes: change.supersedes.map(moved)))
        })
    }
}

extension HostileServerFixture {
    /// The changes moved to a new key's site and chained, with one signature at the end.
    static func chained(_ changes: [Change], signer: ChangeSigner = ChangeSigner()) -> [Change] {
        var previous = ChangeHash.genesis
        return changes.enumerated().map { index, change in
            let moved = Change(dot: Dot(site: signer.site, counter: UInt64(index + 1)), hlc: change.hlc, author: change.author,
                               entity: change.entity, kind: change.kind, field: change.field, operation: change.operation,
                               value: change.value)
            let (linked, hash) = signer.chain(moved, after: previous, head: index == changes.count - 1)
            previous = hash
            return linked
        }
    }

    /// Attacks on signed history, made from the seeded engagement's real changes:
    /// - `drop-middle`: a new chain with one change removed from its middle;
    /// - `swap`: a new chain with two changes' contents exchanged in place;
    /// - `move-head`: a new chain whose head carries another chain's head signature;
    /// - `replay-head`: the seeded (held) head sent again with two unsigned changes after it.
    static func chainAttack(_ attack: String, on seeded: [Change], fixture: String) throws -> Data {
        let changes = seeded.filter { $0.operation != .remove && $0.supersedes.isEmpty }
        try #require(changes.count >= 4, "\(fixture): the seeded batch is too short for a chain attack")
        switch attack {
        case "drop-middle":
            var chain = chained(changes)
            chain.remove(at: chain.count / 2)
            return ChangeBatch(chain).encoded()
        case "swap":
            var chain = chained(changes)
            let (a, b) = (chain.count / 2 - 1, chain.count / 2)
            func content(of source: Change, at target: Change) -> Change {
                Change(dot: target.dot, hlc: target.hlc, author: target.author, entity: source.entity, kind: source.kind, field: source.field,
                       operation: source.operation, value: source.value, publicKey: target.publicKey, signature: target.signature, prev: target.prev)
            }
            (chain[a], chain[b]) = (content(of: chain[b], at: chain[a]), content(of: chain[a], at: chain[b]))
            return ChangeBatch(chain).encoded()
        case "move-head":
            var chain = chained(changes)
            let other = chained(changes)
            let head = chain[chain.count - 1]
            chain[chain.count - 1] = head.with(publicKey: head.publicKey, signature: other[other.count - 1].signature)
            return ChangeBatch(chain).encoded()
        case "replay-head":
            let head = try #require(seeded.last { $0.signature.count == 64 }, "\(fixture): the seeded batch has no head")
            var previous = ChangeHash.of(head)
            var forged = [head]
            for offset in 1...2 {
                let change = Change(dot: Dot(site: head.dot.site, counter: head.dot.counter + UInt64(offset)), hlc: head.hlc,
                                    author: head.author, entity: head.entity, kind: head.kind, field: head.field,
                                    operation: head.operation, value: head.value, prev: previous)
                previous = ChangeHash.of(change)
                forged.append(change)
            }
            return ChangeBatch(forged).encoded()
        default:
            Issue.record("\(fixture): unknown chain_attack '\(attack)'")
            return Data()
        }
    }
}

extension HostileServerFixture.Mutation {
    func apply(to data: Data, fixture: String) throws -> Data {
        var bytes = [UInt8](data)
        if let truncate_by { bytes.removeLast(min(truncate_by, bytes.count)) }
        if let truncate_to { bytes = Array(bytes.prefix(truncate_to)) }
        if let replace_string {
            let from = Array(replace_string.from.utf8)
            let to = replace_string.to_hex.map(Self.hex) ?? Array((replace_string.to ?? "").utf8)
            precondition(from.count < 128 && to.count < 128, "replace_string handles one-byte length prefixes")
            let needle = [UInt8(from.count)] + from
            let range = try #require(bytes.firstRange(of: needle), "\(fixture): the batch holds no string '\(replace_string.from)'")
            bytes.replaceSubrange(range, with: [UInt8(to.count)] + to)
        }
        if let set_byte {
            let index = set_byte.offset >= 0 ? set_byte.offset : bytes.count + set_byte.offset
            try #require(bytes.indices.contains(index), "\(fixture): set_byte offset \(set_byte.offset) is outside the batch")
            bytes[index] = set_byte.value ?? bytes[index] &+ (set_byte.add ?? 0)
        }
        if let append_hex { bytes += Self.hex(append_hex) }
        return Data(bytes)
    }

    static func hex(_ text: String) -> [UInt8] {
        let digits = text.filter(\.isHexDigit)
        return stride(from: 0, to: digits.count - 1, by: 2).map { offset in
            let start = digits.index(digits.startIndex, offsetBy: offset)
            return UInt8(digits[start...digits.index(after: start)], radix: 16)!
        }
    }
}
