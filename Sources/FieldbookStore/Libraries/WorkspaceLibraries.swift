import Crypto
import FieldbookCatalogs
import FieldbookModel
import FieldbookReplica
import Foundation

/// One library to pin: what its entity records and its canonical bytes (issue 19).
public struct LibraryPin: Sendable, Equatable {
    /// The library's URN (lower-cased when pinned).
    public var urn: String
    public var name: String
    public var version: Int
    /// The key of the framework it defines; nil for a mapping library.
    public var framework: String?
    public var content: LibraryContent
    /// `LibraryCanonicalForm.data` of the library: what is stored and travels.
    public var canonicalBytes: Data

    public init(urn: String, name: String, version: Int, framework: String?, content: LibraryContent, canonicalBytes: Data) {
        self.urn = urn
        self.name = name
        self.version = version
        self.framework = framework
        self.content = content
        self.canonicalBytes = canonicalBytes
    }

    /// The pin of a library as read: its fields and canonical bytes derived from the document.
    public init(_ document: LibraryDocument) {
        let content: LibraryContent = switch (document.framework != nil, !document.mappingSets.isEmpty) {
        case (true, true): .both
        case (false, true): .mapping
        default: .framework
        }
        self.init(urn: document.urn, name: document.name, version: document.version, framework: document.frameworkKey,
                  content: content, canonicalBytes: document.canonicalData)
    }
}

/// Framework and mapping libraries pinned by the engagement (issue 19; `workspace.libraries`):
/// one `library` entity per library URN, whose `sha256` names the library's canonical bytes in
/// the object store. The bytes travel wherever evidence files travel (bundles, clone, sync), so
/// every replica resolves the same requirement ids. The engagement's catalogs are built from
/// them (`catalogs(mappings:)`).
public struct WorkspaceLibraries: Sendable {
    let workspace: Workspace

    /// Pins one library; see `pin(_:now:)` for a list.
    @discardableResult
    public func pin(urn: String, name: String, version: Int, framework: String?, content: LibraryContent,
                           canonicalBytes: Data, now: UInt64 = WallClock.now()) throws -> [Change] {
        try pin([LibraryPin(urn: urn, name: name, version: version, framework: framework, content: content,
                                     canonicalBytes: canonicalBytes)], now: now)
    }

    /// Pins a library as read (`LibraryReader.read`).
    @discardableResult
    public func pin(_ document: LibraryDocument, now: UInt64 = WallClock.now()) throws -> [Change] {
        try pin([LibraryPin(document)], now: now)
    }

    /// Pins libraries all or nothing: each one's bytes are checked (they must read back as a
    /// library with that URN and version, in canonical form), stored in the object store
    /// (fsynced and renamed into place, so durable before any change names them), then every
    /// entity's changes are written in one transaction. A library already pinned at the same
    /// bytes writes nothing (the unchanged-value rule); a new version updates `sha256`,
    /// `version` and what else differs; a deleted one is pinned again. On any failure nothing
    /// is written and the objects this call added are removed. Returns the changes written.
    @discardableResult
    public func pin(_ pins: [LibraryPin], now: UInt64 = WallClock.now()) throws -> [Change] {
        var checked: [(id: EntityID, pin: LibraryPin, sha: String)] = []
        for pin in pins {
            let urn = pin.urn.lowercased()
            guard let id = EntityID.library(urn: urn) else {
                throw StoreError.invalid("The library URN '\(urn.prefix(80))' cannot be pinned: a pinned library's id is 'library:' and its URN, at most \(EntityID.maximumLength) characters of letters, digits, ':', '.', '-' and '_'.")
            }
            guard !checked.contains(where: { $0.id == id }) else {
                throw StoreError.invalid("The library \(urn) is given twice; pin one version of it.")
            }
            let document: LibraryDocument
            do {
                document = try LibraryReader.read(pin.canonicalBytes, file: "library \(urn)")
            } catch {
                throw StoreError.invalid("The bytes given for library \(urn) are not a library: \(error)")
            }
            guard document.canonicalData == pin.canonicalBytes else {
                throw StoreError.invalid("The bytes given for library \(urn) are not its canonical form; pin LibraryCanonicalForm.data of the library.")
            }
            guard document.urn == urn, document.version == pin.version else {
                throw StoreError.invalid("The bytes given for library \(urn) version \(pin.version) hold \(document.urn) version \(document.version).")
            }
            let sha = Hex.string(SHA256.hash(data: pin.canonicalBytes))
            checked.append((id, pin, sha))
            workspace.parsedLibraries.store(document, sha256: sha)
        }
        var added: [String] = []
        var restored = false
        do {
            for (_, pin, sha) in checked where workspace.objects.verify(sha) != .intact {
                restored = true
                // Missing, or damaged and stored again from bytes that hash right.
                let damaged = workspace.objects.contains(sha)
                if damaged { try? FileManager.default.removeItem(at: workspace.objects.path(for: sha)) }
                let stored = try workspace.objects.add(pin.canonicalBytes)
                guard stored.sha256 == sha else { throw StoreError.invalid("The library \(pin.urn)'s bytes changed while being stored.") }
                if !damaged { added.append(sha) }
            }
            var edits: [LocalEdit] = []
            for (id, pin, sha) in checked {
                let current = try workspace.record(id)
                var entity = EntityEdits<LibraryField>(id, current: current)
                try entity.set(.name, FieldValue.text(pin.name))
                try entity.set(.version, pin.version)
                try entity.set(.sha256, FieldValue.text(sha))
                if let framework = pin.framework { try entity.set(.framework, FieldValue.text(framework)) }
                try entity.set(.content, pin.content)
                if current?.deleted == true || current?.conflictedFields.contains(EntitySchema.deletedField) == true {
                    try entity.set(.deleted, false)
                }
                edits += entity.edits
            }
            // Bytes stored again (missing or damaged before) change what the catalogs can read.
            if restored { workspace.catalogCache.reset() }
            guard !edits.isEmpty else { return [] }
            return try workspace.write(edits, now: now)
        } catch {
            workspace.exchange.removeObjects(added)
            throw error
        }
    }

    /// The libraries the engagement pins (deleted ones too with `includeDeleted`), by URN.
    public func pinned(includeDeleted: Bool = false) throws -> [Library] {
        try workspace.all(Library.self, includeDeleted: includeDeleted).sorted { $0.urn < $1.urn }
    }

    /// The pinned library of a URN, if any (deleted or not).
    public func pinned(urn: String) throws -> Library? {
        guard let id = EntityID.library(urn: urn) else { return nil }
        return try workspace.entity(Library.self, id)
    }

    /// Where a pinned library's bytes are (or would be) kept; nil when it names no hash.
    public func file(of library: Library) -> URL? {
        library.sha256.map(workspace.objects.path(for:))
    }

    /// Whether a pinned library's bytes are here and hash to its `sha256` (`missing` when it
    /// names none), as `evidence verify` checks evidence files.
    public func condition(of library: Library) -> ObjectStore.ObjectCondition {
        guard let sha = library.sha256 else { return .missing }
        return workspace.objects.verify(sha)
    }

    /// Every pinned library (deleted ones too with `includeDeleted`) with the condition of its bytes.
    public func verify(includeDeleted: Bool = false) throws -> [(library: Library, condition: ObjectStore.ObjectCondition)] {
        try pinned(includeDeleted: includeDeleted).map { ($0, condition(of: $0)) }
    }

    /// A pinned library's canonical bytes, checked against its `sha256`. Missing or damaged
    /// bytes are refused with one sentence naming the library (`StoreError.stateConflict`).
    public func bytes(of library: Library) throws -> Data {
        let label = "The library \(library.urn)\(library.version.map { " (version \($0))" } ?? "")"
        guard let sha = library.sha256 else {
            throw StoreError.stateConflict("\(label) is pinned without a SHA-256; pin it again with 'fieldbook catalog import'.")
        }
        guard let data = FileManager.default.contents(atPath: workspace.objects.path(for: sha).path) else {
            throw StoreError.stateConflict("\(label) is pinned but its bytes (sha256 \(sha.prefix(12))...) are not in this workspace; sync, import a bundle that carries them, or import the library again.")
        }
        guard Hex.string(SHA256.hash(data: data)) == sha else {
            throw StoreError.stateConflict("\(label)'s stored bytes are damaged (they no longer hash to \(sha.prefix(12))...); sync, import a bundle that carries them, or import the library again.")
        }
        return data
    }

    /// A pinned library as parsed from its bytes: from the parsed-library cache when it holds
    /// that SHA-256 and the bytes are here (every command reads every pinned library, and a
    /// parse of a large one costs far more than the command), else read from the bytes
    /// (`bytes(of:)`, which checks their hash, then `LibraryReader.read`) and cached.
    /// Damaged bytes behind an intact cache entry are still found by `verify`
    /// (`status`), and by anything that sends the bytes on (`bytes(of:)`).
    public func document(of library: Library) throws -> LibraryDocument {
        if let sha = library.sha256, workspace.objects.contains(sha), let cached = workspace.parsedLibraries.document(sha256: sha), cached.urn == library.urn {
            return cached
        }
        let data = try bytes(of: library)
        let document: LibraryDocument
        do {
            document = try LibraryReader.read(data, file: "library \(library.urn)")
        } catch {
            throw StoreError.stateConflict("The library \(library.urn)'s stored bytes do not read as a library: \(error)")
        }
        if let sha = library.sha256 { workspace.parsedLibraries.store(document, sha256: sha) }
        return document
    }
}
