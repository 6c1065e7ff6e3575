import Crypto
import FieldbookModel
import FieldbookReplica
import Foundation

/// Where a value sat in a spreadsheet: the sheet (or the CSV file), the row as the client's
/// program numbers it, and the column's letter and heading. Every refusal of a client's answer
/// starts with it, so one sentence says which cell to fix.
public struct SheetCell: Sendable, Equatable {
    /// `sheet 'Requests'`, or the CSV file's name.
    public let sheet: String
    public let row: Int
    public let column: String
    public let heading: String

    public init(sheet: String, row: Int, column: String, heading: String) {
        self.sheet = sheet
        self.row = row
        self.column = column
        self.heading = heading
    }

    /// "Sheet 'Requests', row 4, column E (status)".
    public var place: String { "\(sheet.prefix(1).uppercased() + sheet.dropFirst()), row \(row), column \(column) (\(heading))" }
}

/// One row of a client's answers to the request list: the request's id, and what the client
/// typed in the columns open to them (status, comment, file names). Nil or empty: left blank.
public struct RequestAnswer: Sendable, Equatable {
    public let request: String
    public let requestCell: SheetCell
    public let status: String?
    public let statusCell: SheetCell
    public let comment: String?
    public let commentCell: SheetCell
    public let files: [String]
    public let filesCell: SheetCell

    public init(request: String, requestCell: SheetCell, status: String?, statusCell: SheetCell, comment: String?, commentCell: SheetCell,
                files: [String], filesCell: SheetCell) {
        self.request = request
        self.requestCell = requestCell
        self.status = status
        self.statusCell = statusCell
        self.comment = comment
        self.commentCell = commentCell
        self.files = files
        self.filesCell = filesCell
    }
}

/// What taking a client's answers back did, per request.
public struct RequestImportOutcome: Sendable, Equatable {
    public struct Attached: Sendable, Equatable {
        public let request: EntityID
        public let evidence: EntityID
        public let filename: String
        public let sha256: String
    }

    /// Requests whose status or comment changed, or that evidence now answers.
    public let updated: [EntityID]
    public let attached: [Attached]
    /// Rows that changed nothing (the values were recorded already).
    public let unchanged: Int
}

extension WorkspaceDomain {
    /// Records a client's answers as this assessor's changes, all or nothing: each row's request
    /// (matched by id, wherever the client sorted it), a status, a comment, and the files it
    /// names, found in `folder` (beside the spreadsheet) and attached as evidence answering the
    /// request (and marking it received unless the client changed the row's status to something else). Every cell is checked,
    /// and every file found, before a byte is copied or a change written; a refusal is one
    /// sentence naming the cell. Values already recorded write nothing, so importing the same
    /// sheet twice changes nothing the second time.
    public func importAnswers(_ answers: [RequestAnswer], filesIn folder: URL, now: UInt64 = WallClock.now()) throws -> RequestImportOutcome {
        struct Planned { var edits: EntityEdits<RequestField>; let files: [(name: String, url: URL, cell: SheetCell)]; let status: Bool }
        var planned: [Planned] = []
        var seen: [EntityID: SheetCell] = [:]
        for answer in answers {
            let request = try requestForRow(answer)
            if let first = seen[request.id] {
                throw StoreError.invalid("\(answer.requestCell.place): request \(request.id) is also on row \(first.row); keep one row per request.")
            }
            seen[request.id] = answer.requestCell
            var edits = EntityEdits<RequestField>(request.id, current: request.record)
            var status: RequestStatus?
            if let text = answer.status {
                guard let parsed = RequestStatus(rawValue: text.lowercased()) else {
                    throw StoreError.invalid("\(answer.statusCell.place): '\(text.prefix(40))' is not a status; use one of "
                                             + RequestStatus.allCases.map(\.rawValue).joined(separator: ", ") + ".")
                }
                status = parsed
            }
            try edits.set(.status, status)
            do {
                try edits.set(.clientComment, answer.comment)
            } catch {
                throw StoreError.invalid("\(answer.commentCell.place): \(error)")
            }
            let files = try answer.files.map { name in (name: name, url: try fileBeside(name, in: folder, cell: answer.filesCell), cell: answer.filesCell) }
            if !files.isEmpty, request.status == .cancelled, status == nil || status == .cancelled {
                throw StoreError.stateConflict("\(answer.filesCell.place): request \(request.id) is cancelled; set its status to received to answer it, or remove the file names.")
            }
            // The status the sheet was sent with, left as it was, does not stop the files marking it received.
            planned.append(Planned(edits: edits, files: files, status: status != nil && status != request.status))
        }
        // Every cell holds; now the files go in and one write records it all.
        var edits: [LocalEdit] = []
        var attached: [RequestImportOutcome.Attached] = []
        var updated: [EntityID] = []
        for var plan in planned {
            let request = EvidenceRequest(unchecked: plan.edits.current!)
            let held = Set(try request.evidence.compactMap(EntityID.init).compactMap { try workspace.entity(Evidence.self, $0) }
                .filter { !$0.deleted }.map { "\($0.filename ?? "")\u{0}\($0.sha256 ?? "")" })
            var answering: [EntityID] = []
            for file in plan.files {
                let sha = try Self.sha256(of: file.url)
                guard !held.contains("\(file.name)\u{0}\(sha)") else { continue }
                let stored = try workspace.objects.add(contentsOf: file.url)
                let id = EntityID(UUIDv7.make())!
                var evidence = EntityEdits<EvidenceField>(id)
                try evidence.set(.filename, file.name)
                try evidence.set(.description, "Provided by the client for request \"\(request.title ?? request.id.rawValue)\"")
                try evidence.set(.sha256, stored.sha256)
                try evidence.set(.size, FieldValue.integer(stored.size))
                evidence.link(.requirements, request.requirements)
                edits += evidence.edits
                answering.append(id)
                attached.append(.init(request: request.id, evidence: id, filename: file.name, sha256: stored.sha256))
            }
            if plan.status { plan.edits.linkMissing(.evidence, answering.map(\.rawValue)) } else { try plan.edits.answer(with: answering) }
            if !plan.edits.isEmpty { updated.append(request.id) }
            edits += plan.edits.edits
        }
        if !edits.isEmpty { try workspace.write(edits, now: now) }
        return RequestImportOutcome(updated: updated, attached: attached, unchanged: planned.count - updated.count)
    }

    /// The live request a row names by id (as exported, or a unique prefix of it).
    private func requestForRow(_ answer: RequestAnswer) throws -> EvidenceRequest {
        let id: EntityID
        do {
            id = try workspace.resolveEntity(answer.request, kind: .request)
        } catch {
            throw StoreError.invalid("\(answer.requestCell.place): no request '\(answer.request.prefix(60))' in this engagement; leave the id column as exported.")
        }
        guard let request = try workspace.entity(EvidenceRequest.self, id), !request.deleted else {
            throw StoreError.invalid("\(answer.requestCell.place): request \(id) is deleted; remove its row or restore it first.")
        }
        return request
    }

    /// A file a row names, in the spreadsheet's folder and nowhere else.
    private func fileBeside(_ name: String, in folder: URL, cell: SheetCell) throws -> URL {
        guard !name.contains("/"), !name.contains("\\"), name != ".", name != ".." else {
            throw StoreError.invalid("\(cell.place): '\(name.prefix(60))' is a path; name files that sit beside the spreadsheet by their names alone.")
        }
        let url = folder.appendingPathComponent(name)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw StoreError.invalid("\(cell.place): no file '\(name.prefix(60))' beside the spreadsheet in \(folder.path); put it there or correct the name.")
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        guard !isDirectory.boolValue, attributes?[.type] as? FileAttributeType == .typeRegular else {
            throw StoreError.invalid("\(cell.place): '\(name.prefix(60))' is not a regular file; name the files to attach.")
        }
        return url
    }

    /// The SHA-256 of a file's bytes, read in chunks: a file the request holds already is not attached again.
    static func sha256(of url: URL) throws -> String {
        guard let input = try? FileHandle(forReadingFrom: url) else {
            throw StoreError.invalid("The file \(url.lastPathComponent) cannot be read; check its permissions.")
        }
        defer { try? input.close() }
        var hasher = SHA256()
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return Hex.string(hasher.finalize())
    }
}
