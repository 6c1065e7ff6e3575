import ArgumentParser
import FieldbookModel
import FieldbookReplica
import FieldbookStore
import Foundation

/// `fieldbook interview add|update|list|show|delete`: interviews held during fieldwork, linked
/// to the requirements they speak to (issue 30); evidence of their kind in reports and OSCAL.
struct InterviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interview", abstract: "Record interviews held during fieldwork, as evidence for requirements.",
        subcommands: [Add.self, Update.self, List.self, Show.self, Delete.self])

    struct Fields: ParsableArguments {
        @Option(name: .customLong("with"), help: "Who was interviewed and their role, as \"NAME, ROLE\".") var with: String?
        @Option(help: "When it was held (YYYY-MM-DD).") var date: String?
        @Option(help: "A UTF-8 text file holding the notes taken (at most 10,000 bytes).") var notes: String?

        var given: Bool { [with, date, notes].contains { $0 != nil } }

        func apply(to edits: inout EntityEdits<InterviewField>) throws {
            if let with {
                let person = Interview.person(with)
                guard !person.name.isEmpty else { throw CLIError.badInput("--with needs the person's name, as \"NAME, ROLE\".") }
                try edits.set(.interviewee, person.name)
                try edits.set(.role, person.role)
            }
            try edits.set(.date, date)
            try edits.set(.notes, try notes.map(Self.readNotes))
        }

        /// The notes file's text: UTF-8, within the notes field's limit.
        static func readNotes(_ path: String) throws -> String {
            let url = try RegularFile.existing(path, called: "The notes file", toBe: "read as notes", ifFolder: "name the notes file.")
            guard let data = try? Data(contentsOf: url) else { throw CLIError.notFound("The notes file \(path) cannot be read; check the path.") }
            guard data.count <= EntitySchema.textLimit else {
                throw CLIError.badInput("\(url.lastPathComponent) is \(data.count) bytes; interview notes are at most \(EntitySchema.textLimit) bytes, so attach longer notes as evidence.")
            }
            guard let text = String(validating: data, as: UTF8.self), !data.contains(0) else {
                throw CLIError.badInput("\(url.lastPathComponent) is not UTF-8 text; save the notes as plain text, or attach them as evidence.")
            }
            return text
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record an interview with someone about one or more requirements; prints its id.")
        @Option(name: .customLong("requirement"), help: "A requirement the interview speaks to (repeatable).") var requirements: [String] = []
        @OptionGroup var fields: Fields
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if fields.with == nil { throw ValidationError("Say who was interviewed with --with \"NAME, ROLE\".") }
            if fields.date == nil { throw ValidationError("Say when the interview was held with --date YYYY-MM-DD.") }
        }

        func run() throws {
            let links = try RequirementOptions.resolve(requirements)
            let id = EntityID(UUIDv7.make())!
            var edits = EntityEdits<InterviewField>(id)
            try fields.apply(to: &edits)
            edits.link(.requirements, links)
            let workspace = try WorkspaceContext.open()
            try workspace.domain.write(edits)
            try output.emit(try workspace.record(id).map(EntityDocument.init)) { Terminal.print(id.rawValue) }
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change an interview's person, date, notes or requirements.")
        @Argument(help: "The interview's id (or a unique prefix of it).") var interview: String
        @Option(name: .customLong("requirement"), help: "Link a requirement (repeatable).") var requirements: [String] = []
        @Option(name: .customLong("unlink"), help: "Unlink a requirement (repeatable).") var unlinks: [String] = []
        @OptionGroup var fields: Fields
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if !fields.given, requirements.isEmpty, unlinks.isEmpty {
                throw ValidationError("Nothing to change; give at least one option such as --date 2026-03-02.")
            }
        }

        func run() throws {
            let links = try RequirementOptions.resolve(requirements), removals = try RequirementOptions.resolve(unlinks)
            let workspace = try WorkspaceContext.open()
            let record = try workspace.domain.liveRecord(interview, kind: .interview)
            var edits = EntityEdits<InterviewField>(record.id, current: record)
            try fields.apply(to: &edits)
            edits.linkMissing(.requirements, links)
            edits.unlinkPresent(.requirements, removals)
            let wrote = try workspace.domain.write(edits)
            try output.emit(try workspace.record(record.id).map(EntityDocument.init)) {
                Terminal.print(!wrote ? "Interview \(record.id) unchanged: it already holds those values." : "Updated interview \(record.id)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List interviews, earliest first.")
        @Flag(help: "Include deleted interviews.") var all = false
        @OptionGroup var output: OutputOptions

        func run() throws {
            let workspace = try WorkspaceContext.open()
            let interviews = try workspace.all(Interview.self, includeDeleted: all).sorted { ($0.date ?? "", $0.id) < ($1.date ?? "", $1.id) }
            try output.emit(["interviews": interviews.map { EntityDocument($0.record) }]) {
                if interviews.isEmpty { Terminal.print("No interviews yet; 'fieldbook interview add --with \"NAME, ROLE\" --date DATE --requirement ID' records one.") }
                for interview in interviews {
                    Terminal.print("\(interview.id)  \(interview.date ?? "-")  \(interview.with)  [\(interview.requirements.joined(separator: ", "))]\(interview.deleted ? "  (deleted)" : "")")
                }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an interview and its notes.")
        @Argument(help: "The interview's id (or a unique prefix of it).") var interview: String
        @OptionGroup var output: OutputOptions

        func run() throws {
            let workspace = try WorkspaceContext.open()
            guard let found = try workspace.entity(Interview.self, try workspace.resolveEntity(interview, kind: .interview)) else {
                throw CLIError.notFound("No interview '\(interview)' in this workspace.")
            }
            try output.emit(EntityDocument(found.record)) {
                Terminal.print("Interview with \(found.with)  (\(found.id))\(found.deleted ? "  (deleted)" : "")")
                Terminal.print("Date        \(found.date ?? "-")")
                Terminal.print("For         \(found.requirements.joined(separator: ", "))")
                if let notes = found.notes { Terminal.print("Notes\n\(notes)") }
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete an interview (kept in history).")
        @Argument(help: "The interview's id (or a unique prefix of it).") var interview: String
        func run() throws { try DeleteEntity.run(interview, kind: .interview) }
    }
}
