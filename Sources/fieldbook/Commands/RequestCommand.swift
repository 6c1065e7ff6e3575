import ArgumentParser
import FieldbookModel
import FieldbookReplica
import FieldbookStore

/// `fieldbook request add|update|list|show|delete` (and `export`, `import`: the client's
/// spreadsheet, `RequestSheetCommands.swift`): evidence asked of the client, chased until it
/// comes (issue 30).
struct RequestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request", abstract: "Ask the client for evidence and chase what is late.",
        discussion: """
            A request waiting on the client (requested, or rejected and asked again) is overdue once its \
            due date has passed: 'status', the reports' key figures and the workbench's dashboard list it. \
            'fieldbook evidence add FILE --fulfils REQUEST' attaches what came and marks it received.
            """,
        subcommands: [Add.self, Update.self, List.self, Show.self, Delete.self, Export.self, Import.self])

    struct Fields: ParsableArguments {
        @Option(help: "What exactly is asked for.") var description: String?
        @Option(name: .customLong("from"), help: "Who at the client is asked.") var contact: String?
        @Option(help: "When it is due (YYYY-MM-DD).") var due: String?
        @Option(help: "requested, received, accepted, rejected or cancelled.") var status: RequestStatus?
        @Option(help: "What the client said back.") var comment: String?

        var given: Bool { status != nil || [description, contact, due, comment].contains { $0 != nil } }

        func apply(to edits: inout EntityEdits<RequestField>) throws {
            try edits.set(.description, description)
            try edits.set(.contact, contact)
            try edits.set(.due, due)
            try edits.set(.status, status)
            try edits.set(.clientComment, comment)
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Ask the client for evidence for one or more requirements; prints its id.")
        @Argument(help: "What is asked for, in a few words.") var title: String
        @Option(name: .customLong("requirement"), help: "A requirement the evidence is for (repeatable).") var requirements: [String] = []
        @OptionGroup var fields: Fields
        @OptionGroup var output: OutputOptions

        func run() throws {
            let links = try RequirementOptions.resolve(requirements)
            let id = EntityID(UUIDv7.make())!
            var edits = EntityEdits<RequestField>(id)
            try edits.set(.title, title)
            try fields.apply(to: &edits)
            try edits.startRequested()
            edits.link(.requirements, links)
            let workspace = try WorkspaceContext.open()
            try workspace.domain.write(edits)
            try output.emit(try workspace.record(id).map(EntityDocument.init)) { Terminal.print(id.rawValue) }
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a request's fields or requirements.")
        @Argument(help: "The request's id (or a unique prefix of it).") var request: String
        @Option(help: "A new title.") var title: String?
        @Option(name: .customLong("requirement"), help: "Link a requirement (repeatable).") var requirements: [String] = []
        @Option(name: .customLong("unlink"), help: "Unlink a requirement (repeatable).") var unlinks: [String] = []
        @OptionGroup var fields: Fields
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if title == nil, !fields.given, requirements.isEmpty, unlinks.isEmpty {
                throw ValidationError("Nothing to change; give at least one option such as --status received.")
            }
        }

        func run() throws {
            let links = try RequirementOptions.resolve(requirements), removals = try RequirementOptions.resolve(unlinks)
            let workspace = try WorkspaceContext.open()
            let record = try workspace.domain.liveRecord(request, kind: .request)
            var edits = EntityEdits<RequestField>(record.id, current: record)
            try edits.set(.title, title)
            try fields.apply(to: &edits)
            edits.linkMissing(.requirements, links)
            edits.unlinkPresent(.requirements, removals)
            let wrote = try workspace.domain.write(edits)
            try output.emit(try workspace.record(record.id).map(EntityDocument.init)) {
                Terminal.print(!wrote ? "Request \(record.id) unchanged: it already holds those values." : "Updated request \(record.id)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List evidence requests, earliest due first.")
        @Option(help: "Only requests with this status.") var status: RequestStatus?
        @Flag(help: "Only requests waiting on the client past their due date.") var overdue = false
        @Flag(help: "Include deleted requests.") var all = false
        @OptionGroup var output: OutputOptions

        func run() throws {
            let workspace = try WorkspaceContext.open()
            let today = Today.utc()
            let requests = try workspace.requests(status: status, overdueOn: overdue ? today : nil, includeDeleted: all)
            try output.emit(["requests": requests.map { EntityDocument($0.record) }]) {
                if requests.isEmpty { Terminal.print("No evidence requests\(status != nil || overdue ? " match" : " yet; 'fieldbook request add TITLE --requirement ID' asks for one").") }
                for request in requests {
                    let late = request.isOverdue(today: today) ? "  OVERDUE" : ""
                    Terminal.print("\(request.id)  \(request.status.rawValue)  due \(request.due ?? "-")  \(request.title ?? "")  [\(request.requirements.joined(separator: ", "))]\(late)\(request.deleted ? "  (deleted)" : "")")
                }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a request and the evidence that answered it.")
        @Argument(help: "The request's id (or a unique prefix of it).") var request: String
        @OptionGroup var output: OutputOptions

        func run() throws {
            let workspace = try WorkspaceContext.open()
            let found = try workspace.entity(EvidenceRequest.self, try workspace.resolveEntity(request, kind: .request))
            guard let found else { throw CLIError.notFound("No request '\(request)' in this workspace.") }
            let files = try found.evidence.compactMap(EntityID.init).compactMap { try workspace.entity(Evidence.self, $0) }
            try output.emit(RequestDocument(request: EntityDocument(found.record), evidence: files.map { EntityDocument($0.record) })) {
                Terminal.print("\(found.title ?? "")  (\(found.id))")
                Terminal.print("Status      \(found.status.rawValue)\(found.isOverdue(today: Today.utc()) ? ", overdue" : "")")
                if let contact = found.contact { Terminal.print("From        \(contact)") }
                if let due = found.due { Terminal.print("Due         \(due)") }
                Terminal.print("For         \(found.requirements.joined(separator: ", "))")
                if let description = found.description { Terminal.print("Asked       \(description)") }
                if let comment = found.clientComment { Terminal.print("Client      \(comment)") }
                for file in files {
                    Terminal.print("Evidence    \(file.id)  \(file.filename ?? "")\(file.dateLabel.map { "  (\($0))" } ?? "")\(file.deleted ? "  (deleted)" : "")")
                }
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a request (kept in history).")
        @Argument(help: "The request's id (or a unique prefix of it).") var request: String
        func run() throws { try DeleteEntity.run(request, kind: .request) }
    }
}

/// `request show --json`: the request, and the evidence files that answered it.
struct RequestDocument: Encodable {
    let request: EntityDocument
    let evidence: [EntityDocument]
}

extension RequestStatus: ExpressibleByArgument {}
