import ArgumentParser
import FieldbookModel
import FieldbookReplica
import FieldbookStore
import FieldbookSync
import Foundation

/// `fieldbook bundle export|import`: exchanging work on a file, for machines that never
/// meet a network.
struct BundleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle", abstract: "Exchange work with other assessors through a file (USB stick, mail).",
        subcommands: [Export.self, Import.self])

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write this workspace's work (and evidence files) to a bundle file.")
        @Option(name: .shortAndLong, help: "The bundle file to write.") var output: String
        @Option(name: .customLong("since-bundle"), help: "Only what is newer than this earlier bundle (one you wrote or received).")
        var sinceBundle: String?
        @Option(name: .customLong("recipient"), parsing: .upToNextOption,
                help: "Seal the bundle for these recipient strings (from 'fieldbook identity'); you are added as a recipient.")
        var recipients: [String] = []
        @Flag(help: "Print one JSON document.") var json = false

        func run() throws {
            try ReportCommand.Options.refuseInsideWorkspace(output)
            // Every string is checked before any work, so a typo never leaves a bundle sealed for nobody.
            let sealedFor = try recipients.map { try Recipient(parsing: $0) }
            let workspace = try WorkspaceContext.open()
            let identity = IdentityFile.standard()
            var base = VersionVector()
            if let sinceBundle {
                try RegularFile.require(sinceBundle, toBe: "a bundle")
                base = try BundleReader.header(of: URL(fileURLWithPath: sinceBundle), identity: identity).vector
            }
            let summary = try BundleExchange(workspace: workspace, identity: identity)
                .export(to: URL(fileURLWithPath: output), since: base, sealedFor: sealedFor)
            if json { try Terminal.printJSON(summary); return }
            if sealedFor.isEmpty {
                FileHandle.standardError.write(Data("Not sealed: anyone who holds \(output) can read it; --recipient seals it for your colleagues.\n".utf8))
            }
            let sealed = sealedFor.isEmpty ? "" : ", sealed for \(counted(summary.sealedFor.count, "recipient")), you included"
            let libraries = summary.libraryFiles > 0 ? ", \(counted(summary.libraryFiles, "library", "libraries"))" : ""
            Terminal.print("Wrote \(counted(summary.changes, "change")) and \(counted(summary.evidenceFiles, "evidence file"))\(libraries) to \(output) (\(summary.bytes) bytes\(sealed)).")
            if !summary.missingEvidence.isEmpty {
                Terminal.print("Not included, not held here: \(counted(summary.missingEvidence.count, "evidence file")) (the changes naming them are included).")
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bring another assessor's bundle in: all or nothing, idempotent, refused when damaged or of another engagement; a sealed one is opened with your identity.")
        @Argument(help: "The bundle file.") var file: String
        @Flag(help: "Print one JSON document.") var json = false

        func run() throws {
            try RegularFile.require(file, toBe: "a bundle")
            let workspace = try WorkspaceContext.open()
            let summary = try BundleExchange(workspace: workspace, identity: IdentityFile.standard()).importBundle(URL(fileURLWithPath: file))
            if json { try Terminal.printJSON(summary); return }
            ImportText.print(summary)
        }
    }
}

enum ImportText {
    static func print(_ summary: BundleExchange.ImportSummary) {
        if summary.nothingNew {
            Terminal.print("Nothing new: \(summary.changesInBundle == 1 ? "the one change" : "all \(summary.changesInBundle) changes") from \(summary.sender) \(summary.changesInBundle == 1 ? "was" : "were") already here.")
            return
        }
        Terminal.print("Imported \(counted(summary.newChanges, "new change")) from \(summary.sender) (\(summary.alreadyPresent) already here), "
            + "\(counted(summary.entitiesChanged, "entity")) changed, \(counted(summary.newEvidenceFiles, "evidence file"))"
            + (summary.newLibraryFiles > 0 ? ", \(counted(summary.newLibraryFiles, "library", "libraries"))." : "."))
        if summary.newConflicts > 0 {
            Terminal.print("\(counted(summary.newConflicts, "new conflict")): 'fieldbook conflicts' lists them.")
        }
    }
}

/// Files a command reads whole: a folder, a device (/dev/zero) or a pipe would be read
/// forever or block, so they are refused up front. A missing file is left to the reader,
/// which says so with its own exit code.
enum RegularFile {
    /// A file a command reads, which must be there (exit 2 otherwise, naming it as `noun`) and be a
    /// regular file (a folder is refused with `ifFolder`, a device or pipe as `require` says).
    static func existing(_ path: String, called noun: String, toBe use: String, ifFolder hint: String) throws -> URL {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw CLIError.notFound("\(noun) \(path) does not exist; check the path.")
        }
        if isDirectory.boolValue { throw CLIError.badInput("\(path) is a folder; \(hint)") }
        try require(path, toBe: use)
        return url
    }

    static func require(_ path: String, toBe what: String) throws {
        let url = URL(fileURLWithPath: path).resolvingSymlinksInPath()
        guard let type = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.type] as? FileAttributeType else { return }
        if type == .typeDirectory { throw CLIError.badInput("\(path) is a folder, not \(what).") }
        guard type == .typeRegular else {
            throw CLIError.badInput("\(path) is not a regular file (a device, pipe or socket), so it cannot be \(what).")
        }
    }
}
