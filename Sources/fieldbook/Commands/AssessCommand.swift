import ArgumentParser
import FieldbookCatalogs
import FieldbookModel
import FieldbookReplica
import FieldbookStore

/// `fieldbook assess ID --result ...`: records a requirement's result, maturity and note.
struct AssessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "assess", abstract: "Record how a requirement is met.")

    @Argument(help: "A requirement: GV-1.1, GOVERN-1.1, 6.1.2, A.6.2.4, ...") var id: String
    @Option(help: "compliant, partially-compliant, non-compliant, not-applicable or not-assessed.") var result: AssessmentStatus
    @Option(help: "Maturity from 0 to 5.") var maturity: Int?
    @Option(help: "What you observed.") var note: String?
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let maturity, !(0...5).contains(maturity) { throw ValidationError("--maturity must be 0 to 5, not \(maturity).") }
    }

    func run() throws {
        let library = try Catalogs.library(mappings: false)
        let requirement = try Catalogs.resolve(id, in: library)
        let workspace = try WorkspaceContext.open()
        let entity = EntityID.result(for: requirement.id)
        var edits = EntityEdits<ResultField>(entity, current: try workspace.record(entity))
        try edits.set(.status, result)
        try edits.set(.maturity, maturity)
        try edits.set(.note, note)
        let wrote = try workspace.domain.write(edits)
        try output.emit(try workspace.record(entity).map(EntityDocument.init)) {
            let what = "\(requirement.id.qualified): \(result.rawValue)\(maturity.map { ", maturity \($0)" } ?? "")"
            Terminal.print(wrote ? what : what + " (unchanged)")
        }
        if let applicability = try workspace.entity(ControlApplicability.self, EntityID.applicability(for: requirement.id)),
           applicability.applicability == .excluded {
            Terminal.note(Self.excludedNote(requirement, justification: applicability.justification))
        }
    }

    /// What a result on a control the SoA excludes means, said as the gap report shows it.
    static func excludedNote(_ requirement: Requirement, justification: String?) -> String {
        "the Statement of Applicability excludes \(requirement.id.qualified)\(justification.map { " (\"\($0)\")" } ?? ""); "
            + "the result is kept on its row but counts only under 'excluded', not in roll-ups, key figures or the OSCAL findings, "
            + "until 'fieldbook applicability set \(requirement.ref) --included --justification TEXT' includes the control."
    }
}

extension AssessmentStatus: ExpressibleByArgument {}
extension RiskTreatment: ExpressibleByArgument {}
extension RiskStatus: ExpressibleByArgument {}
extension ApplicabilityReason: ExpressibleByArgument {
    /// `../shared/CLI.md` spells two of the reasons short: `risk` and `client`.
    public init?(argument: String) {
        switch argument {
        case "risk": self = .riskTreatment
        case "client": self = .clientChoice
        default: self.init(rawValue: argument)
        }
    }
}
extension FindingSeverity: ExpressibleByArgument {}
extension FindingStatus: ExpressibleByArgument {}
