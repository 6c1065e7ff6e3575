import Foundation

/// Where this user's identity lives: `FIELDBOOK_IDENTITY`, else
/// `$XDG_CONFIG_HOME/fieldbook/identity`, else `~/.config/fieldbook/identity`. The file is
/// created on first use (`loadOrCreate`) with mode 0600 in a folder of mode 0700; reading a
/// sealed bundle never creates one.
public struct IdentityFile: Sendable, Equatable {
    public let url: URL

    public init(url: URL) {
        self.url = url
    }

    /// The identity file the environment names (see the type's comment).
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> IdentityFile {
        if let path = environment["FIELDBOOK_IDENTITY"], !path.isEmpty { return IdentityFile(url: URL(fileURLWithPath: path)) }
        let config: URL
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            config = URL(fileURLWithPath: xdg)
        } else if let home = environment["HOME"], !home.isEmpty {
            config = URL(fileURLWithPath: home).appendingPathComponent(".config")
        } else {
            config = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".config")
        }
        return IdentityFile(url: config.appendingPathComponent("fieldbook/identity"))
    }

    /// The identity, or nil when the file does not exist.
    public func load() throws(BundleError) -> Identity? {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            if FileManager.default.fileExists(atPath: url.path) { throw .identityUnusable(url.path, "it cannot be read") }
            return nil
        }
        do {
            return try Identity(fileText: String(decoding: data, as: UTF8.self))
        } catch {
            throw .identityUnusable(url.path, "it holds no valid fbs1 key")
        }
    }

    /// The identity, made and written first if there is none yet. Two processes making one at
    /// once end with the same identity: the file is linked into place only if still absent.
    public func loadOrCreate() throws(BundleError) -> Identity {
        if let identity = try load() { return identity }
        let folder = url.deletingLastPathComponent()
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .identityNotWritable(folder.path)
        }
        let identity = Identity.generate()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).partial-\(UUID().uuidString)")
        defer { unlink(temporary.path) }
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw .identityNotWritable(folder.path) }
        let bytes = Array(identity.fileText.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor)
        close(descriptor)
        guard written == bytes.count, synced == 0 else { throw .identityNotWritable(folder.path) }
        if link(temporary.path, url.path) != 0 {
            guard errno == EEXIST, let existing = try load() else { throw .identityNotWritable(folder.path) }
            return existing
        }
        return identity
    }
}
