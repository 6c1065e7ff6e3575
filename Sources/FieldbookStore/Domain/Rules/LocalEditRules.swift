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
        var summarised: Set<EntityID> = [], linkedSystems: Set<EntityID> = []
        /// Records the entity as new when the store holds none by its id.
        func noteCreated(_ entity: EntityID, _ kind: EntityKind) throws {
            if [.finding, .evidence, .impact, .request, .interview, .test].contains(kind), created[entity] == nil, try workspace.record(entity) == nil { created[entity] = kind }
        }
        /// Each SoA entry the batch touches, with the applicability and justification it sets.
        var decisions: [EntityID: (control: RequirementID, applicability: FieldValue?, justification: FieldValue?)] = [:]
        /// What the batch sets on each finding, field by field.
        var findingSettings: [EntityID: [String: FieldValue]] = [:]
        /// What the batch sets on each evidence file's period, and the evidence a request links to.
        var periodSettings: [EntityID: [String: FieldValue]] = [:]
        var answeringEvidence: [String] = []
        for edit in edits {
            switch edit {
            case let .set(entity, kind, field, value):
                try labelSaysSomething(value, field: field, kind: kind)
                if kind == .result, let requirement = entity.resultRequirement {
                    // A status already recorded (received from a looser release) may be edited
                    // or resolved, so an anomaly can be repaired where it stands.
                    let recorded = try workspace.record(entity)?.fields[ResultField.status.name] != nil
                    try resultOnAssessable(requirement, workspace: workspace, recorded: recorded)
                }
                if kind == .applicability, let control = entity.applicabilityControl {
                    try applicabilityOnControl(control, workspace: workspace)
                    var decision = decisions[entity] ?? (control, nil, nil)
                    if field == ApplicabilityField.applicability.name { decision.applicability = value }
                    if field == ApplicabilityField.justification.name { decision.justification = value }
                    decisions[entity] = decision
                }
                if kind == .finding { findingSettings[entity, default: [:]][field] = value }
                if kind == .evidence, [EvidenceField.periodFrom.name, EvidenceField.periodTo.name].contains(field) {
                    periodSettings[entity, default: [:]][field] = value
                }
                try noteCreated(entity, kind)
                if kind == .system, field == SystemField.name.name, case .text(let name) = value, try workspace.record(entity) == nil {
                    try systemNameFree(name, workspace: workspace)
                }
                if kind == .impact, field == ImpactField.summary.name, case .text(let text) = value, !isBlank(text) { summarised.insert(entity) }
            case let .link(entity, kind, field, target):
                try noteCreated(entity, kind)
                if kind == .impact, field == ImpactField.systems.name { linkedSystems.insert(entity) }
                if kind == .request, field == RequestField.evidence.name { answeringEvidence.append(target) }
                if case .linkSet(.requirement)? = EntitySchema.fields(of: kind)[field] {
                    try requirementDefined(target, workspace: workspace)
                    linkedRequirements.insert(entity)
                }
            case .unlink, .delete, .restore:
                break
            }
        }
        // What each touched entry holds after the batch: excluded needs a justification that
        // says something, whether this batch or an earlier one gave it.
        for (entity, decision) in decisions.sorted(by: { $0.key < $1.key }) {
            let stored = try workspace.entity(ControlApplicability.self, entity)
            let applicability = decision.applicability ?? stored?.applicability.map { .enumCase($0.rawValue) }
            guard applicability == .enumCase(Applicability.excluded.rawValue) else { continue }
            let justification: String? = switch decision.justification {
            case .text(let text)?: text
            default: stored?.justification
            }
            guard let justification, !isBlank(justification) else {
                throw StoreError.invalid(DomainRule.unjustifiedExclusion(decision.control) + ": the Statement of Applicability must say why the control does not apply.")
            }
        }
        for (entity, settings) in findingSettings.sorted(by: { $0.key < $1.key }) {
            try closesVerified(entity, setting: settings, workspace: workspace)
        }
        for (entity, settings) in periodSettings.sorted(by: { $0.key < $1.key }) {
            try periodIsWhole(entity, setting: settings, workspace: workspace)
        }
        for target in answeringEvidence {
            var isEvidence = false
            if let id = EntityID(target) { isEvidence = try created[id] == .evidence || workspace.record(id)?.kind == .evidence }
            guard isEvidence else { throw StoreError.notFound("No evidence '\(target.prefix(60))' in this workspace to answer a request with.") }
        }
        for (entity, kind) in created.sorted(by: { $0.key < $1.key }) {
            switch kind {
            case .impact where !linkedSystems.contains(entity): throw StoreError.invalid("An impact assessment needs the AI system it assesses.")
            case .impact where !summarised.contains(entity): throw StoreError.invalid("An impact assessment needs a summary of what it found.")
            case .finding where !linkedRequirements.contains(entity): throw StoreError.invalid("A finding needs at least one requirement it was raised against.")
            case .evidence where !linkedRequirements.contains(entity): throw StoreError.invalid("Evidence needs at least one requirement it supports.")
            case .request where !linkedRequirements.contains(entity): throw StoreError.invalid("An evidence request needs at least one requirement it asks evidence for.")
            case .interview where !linkedRequirements.contains(entity): throw StoreError.invalid("An interview needs at least one requirement it speaks to.")
            case .test where !linkedRequirements.contains(entity): throw StoreError.invalid("A sampled test needs the requirement whose control it tests.")
            default: continue
            }
        }
    }

    /// A major or minor nonconformity closes only once its correction is verified effective, or
    /// with the reason to close it without one (the override, which the register shows). Judged
    /// on what the finding holds after the batch, when the batch sets a field the judgement
    /// reads: a finding a looser release closed unverified can still be edited otherwise.
    static func closesVerified(_ entity: EntityID, setting settings: [String: FieldValue], workspace: Workspace) throws {
        let judged: [FindingField] = [.status, .severity, .verification, .closedWithoutVerification]
        guard judged.contains(where: { settings[$0.name] != nil }) else { return }
        let after = Finding(unchecked: EntityRecord.pending(entity, kind: .finding, stored: try workspace.record(entity), setting: settings))
        guard let grade = DomainRule.unverifiedClosure(severity: after.severity, status: after.status, verification: after.verification,
                                                       override: after.closedWithoutVerification) else { return }
        throw StoreError.stateConflict("A \(grade.rawValue) nonconformity closes only once its correction is verified effective;"
                                       + " record the verification, or give the reason to close it without one.")
    }

    /// A period evidence covers has both ends, the first not after the last. Judged on what the
    /// evidence holds after the batch, when the batch sets either end.
    static func periodIsWhole(_ entity: EntityID, setting settings: [String: FieldValue], workspace: Workspace) throws {
        let after = Evidence(unchecked: EntityRecord.pending(entity, kind: .evidence, stored: try workspace.record(entity), setting: settings))
        if let problem = DomainRule.periodProblem(from: after.periodFrom, to: after.periodTo) {
            throw StoreError.invalid(problem + "; write the period as FROM..TO, earliest first.")
        }
    }

    /// Two AI systems may not share a name (any case): commands and pages find a system by it.
    static func systemNameFree(_ name: String, workspace: Workspace) throws {
        if try workspace.all(AISystem.self).contains(where: { $0.name?.lowercased() == name.lowercased() }) {
            throw StoreError.stateConflict("An AI system named '\(name)' exists already; update it or pick another name.")
        }
    }

    /// A title, name or owner must say something: a blank one prints as an empty row in every register.
    static func labelSaysSomething(_ value: FieldValue, field: String, kind: EntityKind) throws {
        guard EntitySchema.isLabel(field, in: kind), case .text(let text) = value, isBlank(text) else { return }
        throw StoreError.invalid(DomainRule.blankLabel(kind: kind, field: field) + "; give it at least one visible character.")
    }

    /// Only the leaves of a framework take a result, on any of its fields. A result whose status
    /// is recorded already (a requirement a newer library version dropped, or a group a looser
    /// release allowed) keeps it, and can still be edited or resolved.
    static func resultOnAssessable(_ requirement: RequirementID, workspace: Workspace, recorded: Bool) throws {
        if recorded { return }
        let catalogs = try workspace.libraries.catalogs(mappings: false).library
        guard catalogs.index[requirement] != nil else {
            throw StoreError.invalid("No requirement \(requirement.qualified) in the engagement's catalogs; record results against requirements they define.")
        }
        if let problem = DomainRule.resultProblem(requirement, catalogs: catalogs) {
            let below = catalogs.catalog(requirement.framework).assessableParts(of: requirement).prefix(3).map(\.id.qualified)
            throw StoreError.invalid("\(problem); assess what is below it (\(below.joined(separator: ", ")), ...).")
        }
    }

    /// The Statement of Applicability lists Annex A controls, nothing else.
    static func applicabilityOnControl(_ control: RequirementID, workspace: Workspace) throws {
        guard try workspace.libraries.catalogs(mappings: false).library.index[control]?.level == .control else {
            throw StoreError.invalid("\(control.qualified) is not an Annex A control; the Statement of Applicability lists A.2.2 to A.10.4.")
        }
    }

    /// Links name requirements the engagement's catalogs define, at any level (a finding may be
    /// raised against clause 9.2 as a whole).
    static func requirementDefined(_ target: String, workspace: Workspace) throws {
        guard let requirement = RequirementID(qualified: target), try workspace.libraries.catalogs(mappings: false).library.index[requirement] != nil else {
            throw StoreError.invalid("No requirement \(target) in the engagement's catalogs; link requirements they define.")
        }
    }

    static func isBlank(_ text: String) -> Bool { DomainRule.isBlank(text) }
}
