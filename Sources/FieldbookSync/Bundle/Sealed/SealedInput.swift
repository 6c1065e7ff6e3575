import Crypto
import Foundation

/// Where `BundleReader` takes a bundle's bytes from: the file itself, or the decrypting stream
/// of a sealed one. `read` returns nil at the end.
protocol BundleInput: AnyObject {
    func read(upToCount count: Int) throws -> Data?
    func close()
}

enum BundleInputs {
    /// Opens `file`, unsealing it with `identity` when it is sealed. A sealed file needs an
    /// identity it was sealed for: else `BundleError.sealedForOthers` or `.noIdentity`.
    static func open(_ file: URL, identity: IdentityFile?) throws -> BundleInput {
        guard let handle = try? FileHandle(forReadingFrom: file) else { throw BundleError.unreadable(file.path) }
        do {
            let start = try handle.read(upToCount: SealedFormat.magic.count) ?? Data()
            guard start == SealedFormat.magic else { return PlainInput(handle: handle, start: start) }
            return try SealedInput(handle: handle, identity: identity)
        } catch {
            try? handle.close()
            throw error
        }
    }
}

/// An unsealed bundle: the file's bytes, the few already read to recognise it first.
final class PlainInput: BundleInput {
    private let handle: FileHandle
    private var start: Data?

    init(handle: FileHandle, start: Data) {
        self.handle = handle
        self.start = start.isEmpty ? nil : start
    }

    func read(upToCount count: Int) throws -> Data? {
        if let start {
            self.start = nil
            return start
        }
        return try handle.read(upToCount: count)
    }

    func close() { try? handle.close() }
}

/// A sealed bundle opened with this user's identity, decrypted one 64 KiB chunk at a time:
/// every chunk is authenticated before a byte of it is handed on, and the end comes only
/// after the chunk sealed as the last one.
final class SealedInput: BundleInput {
    private let handle: FileHandle
    private let key: SymmetricKey
    private var lookahead = Data()
    private var counter: UInt64 = 0
    private var finished = false

    /// Reads and checks the header (the mark was read already) and unwraps the file key.
    init(handle: FileHandle, identity: IdentityFile?) throws {
        self.handle = handle
        var header = SealedFormat.magic
        let fixed = try Self.readExactly(handle, 6)
        header.append(fixed)
        let version = fixed.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard version <= SealedFormat.version else { throw BundleError.newerFormat(version) }
        guard version >= 1 else { throw BundleError.corrupted("sealed format 0") }
        let count = Int(fixed.suffix(2).reduce(UInt16(0)) { $0 << 8 | UInt16($1) })
        guard (1...SealedFormat.maximumRecipients).contains(count) else {
            throw BundleError.corrupted("it declares \(count) recipients")
        }
        let stanzas = try Self.readExactly(handle, count * SealedFormat.stanzaSize)
        header.append(stanzas)
        let checksum = try Self.readExactly(handle, 32)
        guard checksum == Data(SHA256.hash(data: header)) else { throw BundleError.corrupted("its key block is damaged") }
        header.append(checksum)
        let mac = try Self.readExactly(handle, 32)

        guard let identity = try identity?.load() else { throw BundleError.noIdentity(recipients: count, path: identity?.url.path) }
        var fileKey: SymmetricKey?
        for index in 0 ..< count where fileKey == nil {
            let stanza = stanzas.dropFirst(index * SealedFormat.stanzaSize).prefix(SealedFormat.stanzaSize)
            // Each stanza fails to open unless it was sealed for this identity.
            if var recipient = try? HPKE.Recipient(privateKey: identity.privateKey, ciphersuite: SealedFormat.ciphersuite,
                                                   info: SealedFormat.hpkeInfo, encapsulatedKey: Data(stanza.prefix(32))),
               let opened = try? recipient.open(Data(stanza.dropFirst(32))), opened.count == SealedFormat.fileKeySize {
                fileKey = SymmetricKey(data: opened)
            }
        }
        guard let fileKey else { throw BundleError.sealedForOthers(recipients: count, recipient: identity.recipient.description) }
        guard mac == SealedFormat.headerMAC(header, fileKey: fileKey) else { throw BundleError.integrityMismatch }
        key = SealedFormat.payloadKey(fileKey: fileKey, salt: try Self.readExactly(handle, SealedFormat.saltSize))
    }

    /// The next chunk's plaintext (`count` is a hint; a chunk is 64 KiB at most); nil after the last.
    func read(upToCount count: Int) throws -> Data? {
        guard !finished else { return nil }
        // A full chunk followed by at least one byte is not the last; anything else is.
        var data = lookahead
        lookahead = Data()
        try fill(&data, to: SealedFormat.sealedChunkSize + 1)
        let last = data.count <= SealedFormat.sealedChunkSize
        if !last {
            lookahead = Data(data.suffix(1))
            data = Data(data.prefix(SealedFormat.sealedChunkSize))
        }
        guard data.count >= SealedFormat.tagSize else { throw BundleError.truncated }
        let plain: Data
        do {
            plain = try open(data, last: last)
        } catch {
            // A full chunk that opens as a middle one, at the end of the file: the rest was cut off.
            if last, data.count == SealedFormat.sealedChunkSize, (try? open(data, last: false)) != nil { throw BundleError.truncated }
            throw BundleError.integrityMismatch
        }
        // Only a payload of nothing at all ends with an empty chunk.
        guard !plain.isEmpty || counter == 0 else { throw BundleError.corrupted("an empty chunk after the first") }
        counter += 1
        finished = last
        return plain.isEmpty ? nil : plain
    }

    func close() { try? handle.close() }

    private func open(_ data: Data, last: Bool) throws -> Data {
        let box = try ChaChaPoly.SealedBox(nonce: SealedFormat.nonce(counter: counter, last: last),
                                           ciphertext: data.prefix(data.count - SealedFormat.tagSize),
                                           tag: data.suffix(SealedFormat.tagSize))
        return try ChaChaPoly.open(box, using: key)
    }

    private func fill(_ data: inout Data, to count: Int) throws {
        while data.count < count {
            guard let more = try handle.read(upToCount: count - data.count), !more.isEmpty else { return }
            data.append(more)
        }
    }

    private static func readExactly(_ handle: FileHandle, _ count: Int) throws -> Data {
        var data = Data()
        while data.count < count {
            guard let more = try handle.read(upToCount: count - data.count), !more.isEmpty else { throw BundleError.truncated }
            data.append(more)
        }
        return data
    }
}
