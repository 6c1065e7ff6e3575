import FieldbookCatalogs
import FieldbookModel
import FieldbookReplica

/// The engagement's rules for what an assessor writes, each stated once and checked on every
/// local write (`Workspace.write`), whichever front end made the edits: the CLI today, the
/// workbench and spreadsheet imports next. A refusal is one sentence and nothing is written.
///
/// Changes received from peers are not refused by these rules: they may come from a release
/// that allowed more, and nothing anyone typed is ever lost. The schema (`EntitySchema`) still
/// bounds every change, local or received.
enum LocalEditRules {
    static func check(_ edits: [LocalEdit], in workspace: Workspace) throws {
        var created: [EntityID: EntityKind] = [:]
        var linkedRequirements: Set<EntityID> = []
        var exclusions: [EntityID: RequirementID] = [:]
        var justified: Set<EntityID> = []
        for edit in edits {
            switch edit {
            case let .set(entity, kind, field, value):
                try labelSaysSomething(value, field: field, kind: kind)
                if kind == .result, field == ResultField.status.name, let requirement = entity.resultRequirement {
                    try resultOnAssessable(requirement, workspace: workspace, exists: try workspace.record(entity) != nil)
                }
                if kind == .applicability, let control = entity.applicabilityControl {
                    try applicabilityOnControl(control, workspace: workspace)
                    if field == ApplicabilityField.applicability.name, value == .enumCase(Applicability.excluded.rawValue) {
                        exclusions[entity] = control
                    }
                    if field == ApplicabilityField.justification.name, case .text(let text) = value, !isBlank(text) {
                        justified.insert(entity)
                    }
                }
                if kind == .finding || kind == .evidence, created[entity] == nil, try workspace.record(entity) == nil {
                    created[entity] = kind
                }
            case let .link(entity, kind, field, target):
                if case .linkSet(.requirement)? = EntitySchema.fields(of: kind)[field] {
                    try requirementDefined(target, workspace: workspace)
                    linkedRequirements.insert(entity)
                }
            case .unlink, .delete, .restore:
                break
            }
        }
        for (entity, control) in exclusions where !justified.contains(entity) {
            let current = try workspace.entity(ControlApplicability.self, entity)?.justification
            guard let current, !isBlank(current) else {
                throw StoreError.invalid(DomainRule.unjustifiedExclusion(control) + ": the Statement of Applicability must say why the control does not apply.")
            }
        }
        for (entity, kind) in created.sorted(by: { $0.key < $1.key }) where !linkedRequirements.contains(entity) {
            throw StoreError.invalid(kind == .finding
                ? "A finding needs at least one requirement it was raised against."
                : "Evidence needs at least one requirement it supports.")
        }
    }

    /// A title, name or owner must say something: a blank one prints as an empty row in every register.
    static func labelSaysSomething(_ value: FieldValue, field: String, kind: EntityKind) throws {
        guard EntitySchema.isLabel(field, in: kind), case .text(let text) = value, isBlank(text) else { return }
        throw StoreError.invalid(DomainRule.blankLabel(kind: kind, field: field) + "; give it at least one visible character.")
    }

    /// Only the leaves of a framework take a result. A requirement the catalogs no longer hold
    /// (its library moved on) keeps the result it has, and it can still be edited or resolved.
    static func resultOnAssessable(_ requirement: RequirementID, workspace: Workspace, exists: Bool) throws {
        let catalogs = try workspace.catalogs(mappings: false).library
        guard catalogs.index[requirement] != nil else {
            if exists { return }
            throw StoreError.invalid("No requirement \(requirement.qualified) in the engagement's catalogs; record results against requirements they define.")
        }
        if let problem = DomainRule.resultProblem(requirement, catalogs: catalogs) {
            let below = catalogs.catalog(requirement.framework).assessableParts(of: requirement).prefix(3).map(\.id.qualified)
            throw StoreError.invalid("\(problem); assess what is below it (\(below.joined(separator: ", ")), ...).")
        }
    }

    /// The Statement of Applicability lists Annex A controls, nothing else.
    static func applicabilityOnControl(_ control: RequirementID, workspace: Workspace) throws {
        guard try workspace.catalogs(mappings: false).library.index[control]?.level == .control else {
            throw StoreError.invalid("\(control.qualified) is not an Annex A control; the Statement of Applicability lists A.2.2 to A.10.4.")
        }
    }

    /// Links name requirements the engagement's catalogs define, at any level (a finding may be
    /// raised against clause 9.2 as a whole).
    static func requirementDefined(_ target: String, workspace: Workspace) throws {
        guard let requirement = RequirementID(qualified: target), try workspace.catalogs(mappings: false).library.index[requirement] != nil else {
            throw StoreError.invalid("No requirement \(target) in the engagement's catalogs; link requirements they define.")
        }
    }

    static func isBlank(_ text: String) -> Bool { DomainRule.isBlank(text) }
}
