import FieldbookReplica
import FieldbookSync
import Foundation

extension AuditPackage {
    /// Checks a package without any workspace, trusting no key it names: every listed file's
    /// size and SHA-256, nothing missing or added, the manifest's signature, and that the
    /// signing key is one the package's own signed history binds to the signer (see
    /// `ManifestSignature` for what that proves). Stops at the first difference, in this order:
    /// the archive's entries (unsafe paths, duplicates), the manifest and its signature, the
    /// history and the signer's place in it, every other listed file in manifest order, then
    /// files the manifest does not list.
    ///
    /// Throws `PackageError` only when the file is missing, unreadable, not a ZIP archive or has
    /// no Fieldbook manifest, or no temporary space can be made to read its history in; every
    /// other finding (a CRC-32 the ZIP stores not matching an entry's bytes included) is a
    /// `PackageVerification` difference.
    public static func verify(_ file: URL, shownAs path: String? = nil) throws -> PackageVerification {
        let shown = path ?? file.path
        let resolved = file.resolvingSymlinksInPath()
        guard let type = (try? FileManager.default.attributesOfItem(atPath: resolved.path))?[.type] as? FileAttributeType else {
            throw PackageError.notFound(shown)
        }
        // A pipe or device would block or never end.
        if type == .typeDirectory { throw PackageError.notAPackage(shown, "it is a folder") }
        guard type == .typeRegular else { throw PackageError.notAPackage(shown, "it is not a regular file") }
        guard FileManager.default.isReadableFile(atPath: resolved.path) else { throw PackageError.unreadable(shown, "permission denied") }
        let reader = try PackageArchiveReader(resolved, shownAs: shown)
        var verifier = PackageVerifier(reader: reader, shown: shown)
        return try verifier.run()
    }
}

/// One verification run (see `AuditPackage.verify`).
struct PackageVerifier {
    /// The largest `manifest.sig` read: a base64 signature is 88 characters.
    static let maximumSignatureBytes: UInt64 = 1024

    let reader: PackageArchiveReader
    let shown: String
    private var checked = 0
    private var manifest: PackageManifest?
    private var otherSites: [PackageVerification.OtherSite]?

    init(reader: PackageArchiveReader, shown: String) {
        self.reader = reader
        self.shown = shown
    }

    /// Where verification stopped.
    private struct Stop: Error {
        let difference: PackageVerification.Difference
    }

    mutating func run() throws -> PackageVerification {
        do {
            try checkAll()
            return result(nil)
        } catch let stop as Stop {
            return result(stop.difference)
        }
    }

    private func result(_ difference: PackageVerification.Difference?) -> PackageVerification {
        PackageVerification(files: checked, firstDifference: difference, signer: manifest?.signer,
                            engagement: manifest?.engagement, version: manifest?.documentVersion, otherSitesWithSignerName: otherSites)
    }

    private func stop(_ path: String, _ reason: PackageVerification.Reason, _ message: String) -> Stop {
        Stop(difference: .init(path: path, reason: reason, message: message))
    }

    private mutating func checkAll() throws {
        if let problem = reader.problem {
            throw stop(problem.path, problem.reason, "The entry '\(problem.path)' \(problem.detail); the package was altered after it was made.")
        }
        let (manifest, bytes) = try readManifest()
        self.manifest = manifest
        try checkSignature(manifest, bytes)
        let listed = try checkListing(manifest)
        guard let history = manifest.files.first(where: { $0.path == AuditPackage.historyPath }) else {
            throw stop(AuditPackage.manifestPath, .manifest, "manifest.json lists no signed history (\(AuditPackage.historyPath)), so nothing can vouch for the signer's key.")
        }
        try checkHistory(history, manifest)
        for file in manifest.files where file.path != AuditPackage.historyPath { try check(file) }
        let unlisted = reader.paths.filter { !listed.contains($0) && $0 != AuditPackage.manifestPath && $0 != AuditPackage.signaturePath }
        if let added = unlisted.first {
            throw stop(added, .added, "\(added) is in the package but not in its signed manifest: it was added after signing.")
        }
        let parents = Set(manifest.files.flatMap { Self.parents(of: $0.path) })
        if let folder = reader.folders.sorted().first(where: { !parents.contains($0) }) {
            throw stop(folder + "/", .added, "The folder \(folder)/ is in the package but holds no file of its signed manifest: it was added after signing.")
        }
    }

    /// `manifest.json`, read as it is (the signature covers these bytes) and decoded.
    private func readManifest() throws -> (PackageManifest, Data) {
        let path = AuditPackage.manifestPath
        guard let entry = reader.entry(path) else { throw PackageError.noManifest(shown) }
        let bytes: Data
        switch reader.read(entry, limit: PackageManifest.maximumBytes) {
        case .bytes(let read): bytes = read
        case .checksumMismatch: throw checksumMismatch(path)
        case .unreadable:
            throw stop(path, .manifest, "manifest.json cannot be read (damaged, or larger than any manifest Fieldbook writes); the package was altered.")
        }
        struct Tag: Decodable {
            let format: String?
            let formatVersion: Int?
            enum CodingKeys: String, CodingKey { case format, formatVersion = "format_version" }
        }
        let tag = try? JSONDecoder().decode(Tag.self, from: bytes)
        if let tag, tag.format != PackageManifest.formatTag {
            throw PackageError.notAPackage(shown, "its manifest.json is not a Fieldbook package manifest")
        }
        if let version = tag?.formatVersion, version > PackageManifest.currentVersion { throw PackageError.newerFormat(version) }
        guard let manifest = try? JSONDecoder().decode(PackageManifest.self, from: bytes) else {
            throw stop(path, .manifest, "manifest.json does not parse as a package manifest; it was altered after signing.")
        }
        return (manifest, bytes)
    }

    private func checkSignature(_ manifest: PackageManifest, _ bytes: Data) throws {
        let path = AuditPackage.signaturePath
        guard let entry = reader.entry(path) else {
            throw stop(path, .missing, "manifest.sig is missing from the package, so nothing vouches for its manifest.")
        }
        var signature = Data()
        switch reader.read(entry, limit: Self.maximumSignatureBytes) {
        case .bytes(let read): signature = read
        case .checksumMismatch: throw checksumMismatch(path)
        case .unreadable: break
        }
        guard let key = Data(base64Encoded: manifest.signer.publicKey), ManifestSignature.holds(signature, over: bytes, publicKey: key) else {
            throw stop(AuditPackage.manifestPath, .signature,
                       "manifest.json does not match its signature in manifest.sig: one of them was altered after signing.")
        }
    }

    /// The manifest's own lines must be safe and distinct; returns the listed paths.
    private func checkListing(_ manifest: PackageManifest) throws -> Set<String> {
        var keys: Set<String> = [], listed: Set<String> = []
        for file in manifest.files {
            let reserved = file.path == AuditPackage.manifestPath || file.path == AuditPackage.signaturePath
            if let why = EntryPath.problem(file.path) ?? (reserved ? "a name the manifest and signature keep for themselves" : nil) {
                throw stop(file.path, .unsafePath, "manifest.json lists '\(file.path)', which has an unsafe path (\(why)).")
            }
            guard keys.insert(EntryPath.collisionKey(file.path)).inserted else {
                throw stop(file.path, .duplicate, "manifest.json lists \(file.path) twice (or twice differing only in case).")
            }
            listed.insert(file.path)
        }
        return listed
    }

    /// The history's bytes, then the history itself and the signer's key in it.
    private mutating func checkHistory(_ file: PackageManifest.File, _ manifest: PackageManifest) throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fieldbook-verify-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        } catch {
            throw PackageError.scratchUnavailable("no folder could be made in \(scratch.deletingLastPathComponent().path) (\(error.localizedDescription))")
        }
        let copy = scratch.appendingPathComponent("history.fbbundle")
        guard FileManager.default.createFile(atPath: copy.path, contents: nil), let handle = try? FileHandle(forWritingTo: copy) else {
            throw PackageError.scratchUnavailable("no file could be made in \(scratch.path)")
        }
        do {
            defer { try? handle.close() }
            try check(file, copy: handle)
        }
        let path = file.path
        let contents: BundleReader.Contents
        do {
            contents = try BundleReader(scratch: scratch).read(copy)
        } catch {
            throw stop(path, .history, "\(path) is not a readable signed history (\(error)).")
        }
        guard contents.header.engagement == manifest.engagement.id else {
            throw stop(path, .history, "\(path) is the history of engagement \(contents.header.engagement), not of the manifest's \(manifest.engagement.id).")
        }
        guard let site = SiteID(manifest.signer.site), let key = Data(base64Encoded: manifest.signer.publicKey) else {
            throw stop(AuditPackage.manifestPath, .manifest, "manifest.json names a signer whose site id or key does not parse.")
        }
        let signer = HistoryBinding.Signer(assessor: manifest.signer.assessor, site: site, publicKey: key)
        switch HistoryBinding.check(contents.changes, signer: signer, version: manifest.documentVersion) {
        case .success(let others):
            otherSites = others.map { .init(site: $0.site.text, publicKey: $0.publicKey.base64EncodedString(), assessor: $0.assessor) }
        case .failure(.history(let why)):
            throw stop(path, .history, "The signed history in \(path) does not verify (\(why)).")
        case .failure(.unboundSigner(let why)):
            throw stop(AuditPackage.signaturePath, .unboundSigner,
                       "manifest.sig was made with a key the package's signed history does not bind to '\(manifest.signer.assessor)' (\(why)); someone other than the assessor signed this package.")
        case let .failure(.version(claimed, held)):
            throw stop(AuditPackage.manifestPath, .manifest,
                       "manifest.json names version \(claimed), but the signed history in the package is version \(held).")
        }
    }

    /// One listed file's presence, size and SHA-256.
    private mutating func check(_ file: PackageManifest.File, copy: FileHandle? = nil) throws {
        guard let entry = reader.entry(file.path) else {
            throw stop(file.path, .missing, "\(file.path) is listed in the signed manifest but missing from the package.")
        }
        let changed = stop(file.path, .changed, "\(file.path) differs from the signed manifest: its bytes changed after the package was made.")
        guard file.size >= 0, entry.uncompressedSize == UInt64(file.size) else { throw changed }
        let hashed = reader.hash(entry, limit: UInt64(file.size), copy: copy)
        if hashed == .checksumMismatch { throw checksumMismatch(file.path) }
        guard case .bytes(let sha, let size) = hashed, size == UInt64(file.size), sha == file.sha256 else { throw changed }
        checked += 1
    }

    /// An entry whose bytes do not match a CRC-32 the archive stores for them: ZIP tools call it corrupt.
    private func checksumMismatch(_ path: String) -> Stop {
        stop(path, .changed, "\(path) does not match the CRC-32 the archive stores for it, so unzip tools call it corrupt: the package was altered or damaged after it was made.")
    }

    /// `a/b/c.txt` -> `a`, `a/b`.
    private static func parents(of path: String) -> [String] {
        let parts = path.split(separator: "/")
        return (1..<max(parts.count, 1)).map { parts.prefix($0).joined(separator: "/") }
    }
}
