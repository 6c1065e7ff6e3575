import FieldbookReplica
import FieldbookStore
import Foundation

/// The servers a workspace syncs with, in `.fieldbook/remotes.json`. It holds bearer tokens,
/// so it is written with mode 0600 (owner only), atomically.
public struct RemoteConfiguration: Codable, Sendable, Equatable {
    /// One server: its URL, the bearer token, how to trust it, and when the last sync with it
    /// succeeded.
    public struct Remote: Codable, Sendable, Equatable {
        public var url: String
        public var token: String
        /// RFC 3339; nil before the first successful sync.
        public var lastSync: String?
        /// PEM certificates of the private CA trusted for this server (`--ca-cert`), kept here
        /// so the workspace needs no file outside it.
        public var caCertificates: String?
        /// `--insecure-http`: the token may go over plain `http://` to a host that is not loopback.
        public var insecureHTTP: Bool?

        public init(url: String, token: String, lastSync: String?, caCertificates: String? = nil, insecureHTTP: Bool = false) {
            self.url = url
            self.token = token
            self.lastSync = lastSync
            self.caCertificates = caCertificates
            self.insecureHTTP = insecureHTTP ? true : nil
        }

        enum CodingKeys: String, CodingKey {
            case url, token
            case lastSync = "last_sync"
            case caCertificates = "ca_certificates"
            case insecureHTTP = "insecure_http"
        }

        /// The transport to this server with this remote's token and trust.
        public func transport(timeout: TimeInterval = 60) throws -> HTTPTransport {
            guard let base = URL(string: url) else { throw SyncError.configuration("the remote's URL '\(url.prefix(80))' is malformed; remove and add it again") }
            return HTTPTransport(base: base, token: token, timeout: timeout, caCertificates: caCertificates.map { Data($0.utf8) },
                                 allowInsecureHTTP: insecureHTTP == true)
        }
    }

    /// By remote name (`origin`).
    public var remotes: [String: Remote] = [:]

    public init() {}

    /// `.fieldbook/remotes.json` of `workspace`.
    public static func file(in workspace: Workspace) -> URL {
        workspace.location.metadataFolder.appendingPathComponent("remotes.json")
    }

    /// The workspace's remotes; none when the file does not exist yet.
    public static func load(from workspace: Workspace) throws -> RemoteConfiguration {
        let file = file(in: workspace)
        guard FileManager.default.fileExists(atPath: file.path) else { return RemoteConfiguration() }
        do {
            return try JSONDecoder().decode(RemoteConfiguration.self, from: Data(contentsOf: file))
        } catch {
            throw SyncError.configuration("\(file.path) cannot be read (\(error.localizedDescription)); fix or remove it and add the remotes again")
        }
    }

    /// Writes the file atomically, mode 0600.
    public func save(to workspace: Workspace) throws {
        let file = Self.file(in: workspace)
        let temporary = workspace.location.scratch.appendingPathComponent("remotes-\(UUID().uuidString).json")
        do {
            try FileManager.default.createDirectory(at: workspace.location.scratch, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: temporary.path, contents: try JSONDocument.encode(self, .readable),
                                                 attributes: [.posixPermissions: 0o600]) else {
                throw SyncError.configuration("cannot write \(temporary.path)")
            }
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: temporary.path)
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.synchronize()
            try handle.close()
            try AtomicReplace.move(temporary, over: file)
        } catch let failure as AtomicReplace.Failure {
            try? FileManager.default.removeItem(at: temporary)
            throw SyncError.configuration("the remotes file could not be replaced (\(failure.reason))")
        } catch let error as SyncError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw SyncError.configuration("the remotes file could not be written (\(error.localizedDescription))")
        }
    }

    /// A remote's name: letters, digits, '-', '_' and '.'.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && name.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)
        }
    }

    /// An http(s) URL with a host.
    public static func isValidURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else { return false }
        return url.host?.isEmpty == false
    }

    /// Reads a `--ca-cert` file: PEM certificates, checked before anything is saved.
    public static func caCertificates(from path: String) throws -> String {
        guard FileManager.default.fileExists(atPath: path) else {
            throw SyncError.configuration("the CA certificate file \(path) does not exist; check the path")
        }
        guard let data = FileManager.default.contents(atPath: path), data.count <= 1 << 20,
              let text = String(data: data, encoding: .utf8), text.contains("-----BEGIN CERTIFICATE-----") else {
            throw SyncError.configuration("\(path) holds no PEM certificate (-----BEGIN CERTIFICATE-----); give the CA's certificate in PEM form")
        }
        return text
    }
}
