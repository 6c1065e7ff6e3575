import ArgumentParser
import FieldbookCatalogs
import FieldbookModel
import FieldbookStore
import Foundation

extension CatalogCommand {
    /// `fieldbook catalog import FILE... [--json]`: framework and mapping libraries in CISO
    /// Assistant's YAML format, pinned by the engagement so they travel with it.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import framework or mapping libraries (CISO Assistant's YAML format) into the engagement.",
            discussion: """
            Give a mapping library together with the framework libraries it needs, in one call. \
            Libraries are stored by the SHA-256 of their canonical form and pinned by the \
            engagement through a change, so bundles, clone and sync carry them. Importing a \
            library URN again with other content pins the new version; results recorded against \
            requirements the new version no longer has are kept and listed.
            """)
        @Argument(help: "Library files (.yaml).") var files: [String] = []
        @Flag(help: "Print one JSON document.") var json = false

        func validate() throws {
            if files.isEmpty { throw ValidationError("Name at least one library file to import.") }
        }

        func run() throws {
            let workspace = try WorkspaceContext.open()
            var read: [(document: LibraryDocument, file: String)] = []
            for path in files {
                let url = URL(fileURLWithPath: path)
                let document = try LibraryReader.read(contentsOf: url)
                if let earlier = read.first(where: { $0.document.urn == document.urn }) {
                    throw CLIError.badInput("\(url.lastPathComponent) and \(earlier.file) are both \(document.urn); import one version of a library at a time.")
                }
                read.append((document, url.lastPathComponent))
            }
            // The engagement's catalogs with these libraries in place of any earlier version:
            // every mapping set must resolve against exactly what the engagement will hold.
            // Each pinned library is read once: it builds the catalogs before, and (unless one of
            // these files replaces it) after.
            let imported = Set(read.map(\.document.urn))
            let pinned = try workspace.libraries.pinned()
            let documents = try pinned.map { (document: try workspace.libraries.document(of: $0), file: "library \($0.urn)") }
            let previous = Dictionary(pinned.filter { imported.contains($0.urn) }.map { ($0.urn, $0) }, uniquingKeysWith: { first, _ in first })
            let held = documents.filter { !imported.contains($0.document.urn) }
            let before = try CatalogLibrary.bundled().including(documents, lenient: Set(documents.map(\.document.urn)))
            let after = try CatalogLibrary.bundled().including(held + read, lenient: Set(held.map(\.document.urn)))
            let changes = try workspace.libraries.pin(read.map { LibraryPin($0.document) })
            let vanished = try Self.vanishedResults(workspace, before: before, after: after)
            let report = ImportDocument(
                libraries: read.map { document, file in
                    ImportedLibraryDocument(document, file: file, previous: previous[document.urn], library: after)
                },
                changes: changes.count,
                vanishedResults: vanished,
                library: after)
            if json { try Terminal.printJSON(report); return }
            for library in report.libraries { Terminal.print(library.sentence) }
            let importedSets = Set(read.flatMap { $0.document.mappingSets.map(\.urn) })
            for (set, rows) in after.leftOutCounts.sorted(by: { $0.key < $1.key }) {
                guard importedSets.contains(set) else {
                    Terminal.print("Left out \(counted(rows, "row")) of the pinned mapping set \(set): an end is no longer in its framework; import a newer version of that mapping library.")
                    continue
                }
                let rows = after.leftOutRows.filter { $0.set == set }
                let named = rows.prefix(3).map { "row \($0.row ?? 0) names \($0.unresolved), and \($0.reason)" }.joined(separator: "; ")
                Terminal.print("Left out \(counted(rows.count, "row")) of mapping set \(set) that name what the engagement's frameworks do not hold (\(named)\(rows.count > 3 ? "; ..." : "")); --json lists them all, and the other rows are imported.")
            }
            if !vanished.isEmpty {
                Terminal.print("Kept \(counted(vanished.count, "result")) recorded against requirements the new versions no longer have (shown as unknown): "
                               + vanished.prefix(10).joined(separator: ", ") + (vanished.count > 10 ? ", ..." : "") + ".")
            }
        }

        /// Results whose requirement the old catalogs knew and the new ones do not.
        static func vanishedResults(_ workspace: Workspace, before: CatalogLibrary, after: CatalogLibrary) throws -> [String] {
            try workspace.all(AssessmentResult.self).compactMap(\.requirement)
                .filter { before.index[$0] != nil && after.index[$0] == nil }
                .map(\.qualified).sorted()
        }
    }
}

/// What `catalog import --json` prints.
struct ImportDocument: Encodable {
    let libraries: [ImportedLibraryDocument]
    /// Changes written to pin them (0 when every library was pinned at these bytes already).
    let changes: Int
    let vanishedResults: [String]
    /// Rows of mapping sets (imported now or pinned earlier) that do not resolve, by set URN.
    let skippedMappingRows: [String: Int]
    /// Each of them: which row, what it names and why it was left out.
    let leftOutRows: [LeftOutRowDocument]

    enum CodingKeys: String, CodingKey {
        case libraries, changes, vanishedResults = "vanished_results", skippedMappingRows = "skipped_mapping_rows"
        case leftOutRows = "left_out_rows"
    }

    init(libraries: [ImportedLibraryDocument], changes: Int, vanishedResults: [String], library: CatalogLibrary) {
        self.libraries = libraries
        self.changes = changes
        self.vanishedResults = vanishedResults
        skippedMappingRows = library.leftOutCounts
        leftOutRows = library.leftOutRows.map(LeftOutRowDocument.init)
    }
}

/// A mapping row left out of the engagement's catalogs (`LeftOutMappingRow`).
struct LeftOutRowDocument: Encodable {
    let set: String
    /// The row's position in the set, from 1; absent when the whole set was left out.
    let row: Int?
    let unresolved: String
    let reason: String

    init(_ row: LeftOutMappingRow) {
        set = row.set
        self.row = row.row
        unresolved = row.unresolved
        reason = row.reason
    }
}

/// One imported library: what it defines and what became of its pin.
struct ImportedLibraryDocument: Encodable {
    struct MappingSetSummary: Encodable {
        let urn: String
        let name: String
        let source: String
        let target: String
        let rows: Int
    }

    let file: String
    let urn: String
    let name: String
    let version: Int
    let sha256: String
    /// new, updated (another version was pinned) or unchanged (these bytes were pinned already).
    let status: String
    let previousVersion: Int?
    let framework: String?
    let requirements: Int?
    let assessable: Int?
    let mappingSets: [MappingSetSummary]

    enum CodingKeys: String, CodingKey {
        case file, urn, name, version, sha256, status, previousVersion = "previous_version", framework, requirements, assessable
        case mappingSets = "mapping_sets"
    }

    init(_ document: LibraryDocument, file: String, previous: Library?, library: CatalogLibrary) {
        self.file = file
        urn = document.urn
        name = document.name
        version = document.version
        sha256 = document.sha256
        status = previous == nil ? "new" : previous?.sha256 == document.sha256 && previous?.deleted != true ? "unchanged" : "updated"
        previousVersion = status == "updated" ? previous?.version : nil
        let catalog = document.frameworkKey.flatMap(FrameworkID.init(rawValue:)).map(library.catalog)
        framework = catalog?.framework.rawValue
        requirements = catalog?.requirements.count
        assessable = catalog?.assessable.count
        mappingSets = document.mappingSets.compactMap { set in
            library.mappingSets.first { $0.id == set.urn }.map {
                MappingSetSummary(urn: $0.id, name: $0.name, source: $0.source.rawValue, target: $0.target.rawValue, rows: $0.rows.count)
            }
        }
    }

    /// One line for people: what was imported and what it defines.
    var sentence: String {
        var parts: [String] = []
        if let framework, let requirements, let assessable {
            parts.append("framework \(framework), \(counted(requirements, "requirement")) (\(assessable) assessable)")
        }
        parts += mappingSets.map { "mapping set \($0.source) -> \($0.target), \(counted($0.rows, "row"))" }
        let what = switch status {
        case "unchanged": "Already pinned \(name) version \(version)"
        case "updated": "Pinned \(name) version \(version) in place of version \(previousVersion.map(String.init) ?? "?")"
        default: "Imported \(name) version \(version)"
        }
        return "\(what) (\(urn)): " + parts.joined(separator: "; ") + "."
    }
}
