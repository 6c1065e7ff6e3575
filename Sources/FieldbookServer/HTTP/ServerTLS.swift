import Foundation
import NIOSSL

/// The server's TLS from PEM files (`--tls-cert`, `--tls-key`): read and checked at start, so
/// a wrong file stops the server with one sentence instead of failing every handshake.
public enum ServerTLS {
    /// Why the certificate or key cannot be used, as one sentence; `missing` is a file not found.
    public struct Failure: Error, CustomStringConvertible {
        public let missing: Bool
        public let description: String
    }

    public static func configuration(certificate: String, key: String) throws(Failure) -> TLSConfiguration {
        for path in [certificate, key] where !FileManager.default.fileExists(atPath: path) {
            throw Failure(missing: true, description: "\(path) does not exist; give the PEM certificate chain with --tls-cert and its key with --tls-key.")
        }
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificate)
        } catch {
            throw Failure(missing: false, description: "\(certificate) holds no PEM certificate (\(error)); give the certificate chain in PEM form.")
        }
        guard !chain.isEmpty else {
            throw Failure(missing: false, description: "\(certificate) holds no PEM certificate; give the certificate chain in PEM form.")
        }
        let privateKey: NIOSSLPrivateKey
        do {
            privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
        } catch {
            throw Failure(missing: false, description: "\(key) holds no unencrypted PEM private key (\(error)); give the certificate's key in PEM form.")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }
}
