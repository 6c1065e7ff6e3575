import FieldbookModel
import FieldbookReplica
import FieldbookReports
import FieldbookStore
import FieldbookSync
import Foundation

extension AuditPackage {
    /// What `export` wrote: the `export package --json` document (snake_case keys).
    public struct ExportSummary: Sendable, Encodable {
        public let file: String
        /// Files the manifest lists (the manifest and its signature not counted).
        public let files: Int
        public let reports: Int
        public let evidenceFiles: Int
        /// Changes in the signed history.
        public let changes: Int
        /// The archive's size.
        public let bytes: Int64
        public let version: String
        public let signer: PackageManifest.Signer

        enum CodingKeys: String, CodingKey {
            case file, files, reports, changes, bytes, version, signer
            case evidenceFiles = "evidence_files"
        }
    }

    /// Writes the audit package of `workspace` to `destination`, all or nothing: the archive is
    /// built in a temporary file beside it and renamed into place only when complete.
    ///
    /// `data`: the report input, as the caller issued it (draft or final); it must be this
    /// workspace's state now. `formats`: the formats each report is written in. Refused, with
    /// nothing written, when an evidence file's bytes are missing or damaged here, when this
    /// workspace has written nothing (its key would be in no history), or when its history does
    /// not verify.
    public static func export(_ workspace: Workspace, data: ReportData, to destination: URL,
                              formats: [ReportFormat] = [.html, .docx], now: UInt64 = WallClock.now()) throws -> ExportSummary {
        let changes = try workspace.exchange.changes(missingFrom: VersionVector())
        let identity = workspace.identity
        guard changes.contains(where: { $0.dot.site == identity.site }) else { throw PackageError.signerNotInHistory(identity.assessor) }
        let binding = HistoryBinding.Signer(assessor: identity.assessor, site: identity.site, publicKey: workspace.signer.publicKey)
        switch HistoryBinding.check(changes, signer: binding, version: data.document.version) {
        case .success: break
        case .failure(.history(let why)), .failure(.unboundSigner(let why)): throw PackageError.brokenHistory(why)
        case let .failure(.version(reports, history)):
            throw PackageError.workspaceChanged("the reports were made from version \(reports), the history is now version \(history)")
        }
        let evidence = try evidenceEntries(workspace, data: data)
        var entries = try reportEntries(workspace, data: data, formats: formats)
        entries.append(PackageEntry(path: oscalPath, bytes: try oscal(data)))
        entries += try libraryEntries(workspace)
        let scratch = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).partial-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        do { try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: false) } catch {
            throw PackageError.cannotWrite("no temporary folder could be made beside \(destination.path) (\(error.localizedDescription))")
        }
        entries.append(try history(workspace, changes: changes, in: scratch))
        entries += evidence
        entries.sort { $0.path < $1.path }

        let signer = PackageManifest.Signer(assessor: identity.assessor, site: identity.site.text,
                                            publicKey: workspace.signer.publicKey.base64EncodedString())
        let manifest = PackageManifest(
            format: PackageManifest.formatTag, formatVersion: PackageManifest.currentVersion,
            engagement: .init(id: data.engagementID, name: data.engagementName), documentVersion: data.document.version,
            generated: Timestamps.rfc3339(milliseconds: now), signer: signer, files: entries.map(\.manifestLine))
        let manifestBytes = try manifest.encoded()
        let signature = try ManifestSignature.sign(manifestBytes, rawKey: workspace.signer.rawRepresentation)

        let archive = scratch.appendingPathComponent("package.zip")
        do {
            try PackageArchiveWriter.write([PackageEntry(path: manifestPath, bytes: manifestBytes),
                                            PackageEntry(path: signaturePath, bytes: signature, compressed: false)] + entries,
                                           to: archive, modified: Date(timeIntervalSince1970: Double(now) / 1000))
        } catch let mismatch as PackageArchiveWriter.Mismatch where mismatch.path.hasPrefix(evidenceFolder + "/") {
            let name = String(mismatch.path.dropFirst(evidenceFolder.count + 1))
            throw PackageError.evidenceUnavailable(name, "damaged (its bytes no longer match their SHA-256)")
        } catch let mismatch as PackageArchiveWriter.Mismatch {
            throw PackageError.workspaceChanged("\(mismatch.path) changed while it was copied")
        } catch {
            throw PackageError.cannotWrite(error.localizedDescription)
        }
        guard rename(archive.path, destination.path) == 0 else {
            throw PackageError.cannotWrite("it could not be put in place at \(destination.path) (\(String(cString: strerror(errno))))")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: destination.path)[.size] as? NSNumber)?.int64Value ?? 0
        return ExportSummary(file: destination.path, files: entries.count, reports: entries.filter { $0.path.hasPrefix(reportsFolder + "/") }.count,
                             evidenceFiles: evidence.count, changes: changes.count, bytes: size, version: data.document.version, signer: signer)
    }

    /// Every report in every format, named `reports/<report>.<extension>`.
    private static func reportEntries(_ workspace: Workspace, data: ReportData, formats: [ReportFormat]) throws -> [PackageEntry] {
        let progress = ProgressReport(changes: try workspace.log().map(\.change), document: data.document, library: data.library, by: .month)
        // A gap analysis per framework the engagement holds, imported ones included.
        let gaps: [(String, any RenderableReport)] = data.library.frameworks.map {
            ("gap-\($0.framework.rawValue)", GapReport(framework: $0.framework, data: data))
        }
        let reports: [(String, any RenderableReport)] = gaps + [
            ("risks", RiskRegister(data: data)),
            ("soa", StatementOfApplicability(data: data)),
            ("progress", progress),
            ("findings", FindingsRegister(data: data)),
        ]
        // The workpapers once there is fieldwork to show (an engagement without keeps the package it
        // had), also as a workbook: the sampled items are a table an auditor sorts and filters.
        let fieldwork: [(String, any RenderableReport, [ReportFormat])] = data.tests.isEmpty && data.interviews.isEmpty ? []
            : [("workpapers", Workpapers(data: data), formats.contains(.xlsx) ? formats : formats + [.xlsx])]
        return try (reports.map { ($0.0, $0.1, formats) } + fieldwork).flatMap { name, report, formats in
            try formats.map { format in
                PackageEntry(path: "\(reportsFolder)/\(name).\(format.fileExtension)", bytes: try ReportFormat.render(report, as: format),
                             compressed: format != .docx && format != .xlsx)
            }
        }
    }

    /// Each pinned library's canonical bytes under `libraries/`, named by its URN's last segment,
    /// so the audit file holds the frameworks and mappings its reports were made from.
    private static func libraryEntries(_ workspace: Workspace) throws -> [PackageEntry] {
        try workspace.libraries.pinned().map { library in
            let name = library.urn.split(separator: ":").last.map(String.init) ?? "library"
            return PackageEntry(path: "\(librariesFolder)/\(name).json", bytes: try workspace.libraries.bytes(of: library))
        }
    }

    /// The OSCAL assessment results, encoded as `fieldbook export oscal` writes them.
    private static func oscal(_ data: ReportData) throws -> Data {
        try JSONDocument.file(OSCALAssessmentResults.document(data))
    }

    /// Each live evidence file under `evidence/`, by its own name made unique. Its bytes must be
    /// here: a package missing one would not be the audit file.
    private static func evidenceEntries(_ workspace: Workspace, data: ReportData) throws -> [PackageEntry] {
        let files = data.evidence.sorted { ($0.filename ?? "", $0.id.rawValue) < ($1.filename ?? "", $1.id.rawValue) }
        let names = EvidenceFileNames.assign(files.map(\.filename), fallbacks: files.map { "evidence-\(($0.sha256 ?? $0.id.rawValue).prefix(12))" })
        return try zip(files, names).map { file, name in
            let label = file.filename ?? file.id.rawValue
            guard let sha = file.sha256 else { throw PackageError.evidenceUnavailable(label, "missing") }
            // `ReportData.load` hashed every file already; what changes after is caught while copying.
            if data.unverifiedEvidence.contains(file.id) {
                let condition = workspace.objects.verify(sha)
                throw PackageError.evidenceUnavailable(label, condition == .damaged ? "damaged (its bytes no longer match their SHA-256)" : "missing")
            }
            let stored = workspace.objects.path(for: sha)
            guard let size = (try? FileManager.default.attributesOfItem(atPath: stored.path)[.size] as? NSNumber)?.int64Value else {
                throw PackageError.evidenceUnavailable(label, "missing")
            }
            return PackageEntry(path: "\(evidenceFolder)/\(name)", file: stored, size: size, sha256: sha, evidenceID: file.id.rawValue,
                                compressed: false)
        }
    }

    /// The whole signed history as a bundle (no evidence: its bytes are under `evidence/`, by
    /// the SHA-256 the changes name), written to `scratch` and hashed.
    private static func history(_ workspace: Workspace, changes: [Change], in scratch: URL) throws -> PackageEntry {
        let file = scratch.appendingPathComponent("history.fbbundle")
        var vector = VersionVector()
        for change in changes { vector.insert(change.dot) }
        let header = BundleHeader(
            format: BundleFormat.version(for: changes), engagement: workspace.identity.engagement.rawValue,
            engagementName: try workspace.engagement()?.name,
            sender: .init(site: workspace.identity.site.text, assessor: workspace.identity.assessor),
            vector: vector, base: VersionVector(), changeCount: changes.count, objectCount: 0)
        try BundleWriter().write(to: file, header: header, changes: changes, objects: [])
        let (sha, size) = try PackageEntry.hash(file)
        return PackageEntry(path: historyPath, file: file, size: size, sha256: sha, compressed: true)
    }
}
