import Crypto
import Foundation

/// Where `BundleWriter` sends a bundle's bytes: the file itself, or a sealing stream in front
/// of it.
protocol BundleOutput: AnyObject {
    func write(_ data: Data) throws
    /// Writes what is still held back; called once, after the last byte.
    func finish() throws
}

/// The file as it is: an unsealed bundle.
final class PlainOutput: BundleOutput {
    let handle: FileHandle

    init(handle: FileHandle) {
        self.handle = handle
    }

    func write(_ data: Data) throws { try handle.write(contentsOf: data) }
    func finish() throws {}
}

/// Seals what it is given for `recipients` and writes it to `handle` chunk by chunk: at most
/// one chunk and the latest write are held in memory, whatever the bundle's size.
final class SealedOutput: BundleOutput {
    private let handle: FileHandle
    private let key: SymmetricKey
    private var pending = Data()
    private var counter: UInt64 = 0

    /// Writes the sealed header (key block, checksum, MAC, salt) at once.
    init(handle: FileHandle, recipients: [Recipient]) throws {
        guard (1...SealedFormat.maximumRecipients).contains(recipients.count) else {
            throw BundleError.tooManyRecipients(recipients.count)
        }
        let fileKey = SymmetricKey(size: .bits256)
        let fileKeyBytes = fileKey.withUnsafeBytes { Data($0) }
        var header = SealedFormat.preamble(recipients: recipients.count)
        for recipient in recipients {
            do {
                var sender = try HPKE.Sender(recipientKey: try recipient.publicKey, ciphersuite: SealedFormat.ciphersuite, info: SealedFormat.hpkeInfo)
                header.append(sender.encapsulatedKey)
                header.append(try sender.seal(fileKeyBytes))
            } catch {
                throw BundleError.invalidRecipient(recipient.description, "is not a usable public key")
            }
        }
        header.append(Data(SHA256.hash(data: header)))
        header.append(SealedFormat.headerMAC(header, fileKey: fileKey))
        var salt = Data(count: SealedFormat.saltSize)
        salt.withUnsafeMutableBytes { buffer in
            var generator = SystemRandomNumberGenerator()
            for index in buffer.indices { buffer[index] = generator.next() }
        }
        header.append(salt)
        key = SealedFormat.payloadKey(fileKey: fileKey, salt: salt)
        self.handle = handle
        try handle.write(contentsOf: header)
    }

    func write(_ data: Data) throws {
        pending.append(data)
        // Keep the last chunk back: only `finish` knows it is the last.
        guard pending.count > SealedFormat.chunkSize else { return }
        var start = pending.startIndex
        while pending.endIndex - start > SealedFormat.chunkSize {
            try seal(pending[start ..< start + SealedFormat.chunkSize], last: false)
            start += SealedFormat.chunkSize
        }
        pending = Data(pending[start...])
    }

    func finish() throws {
        try seal(pending, last: true)
        pending = Data()
    }

    private func seal(_ chunk: Data, last: Bool) throws {
        let box = try ChaChaPoly.seal(chunk, using: key, nonce: SealedFormat.nonce(counter: counter, last: last))
        counter += 1
        try handle.write(contentsOf: box.ciphertext)
        try handle.write(contentsOf: box.tag)
    }
}
