import FieldbookModel
import FieldbookReplica
import FieldbookStore

/// Every change of one entity, oldest first, as `fieldbook history` lists it: when, who, which
/// field, and the value written (or the link added or removed).
enum ChangeHistory {
    static func section(_ workspace: Workspace, _ entity: EntityID, caption: String, none: String) throws -> HTML {
        let changes = try workspace.history(of: entity)
        guard !changes.isEmpty else { return [H.h2("History"), H.p(.text(none))] }
        return [H.h2("History"), H.table(caption: caption, header: ["when", "who", "field", "value"], rows: changes.map { change in
            [.text(Timestamps.rfc3339(milliseconds: change.hlc.wallMilliseconds, fractional: false)), .text(change.author),
             .text(change.field + operation(change.operation)), .text(Display.value(change.value))]
        })]
    }

    static func operation(_ operation: FieldbookReplica.Operation) -> String {
        switch operation {
        case .set: ""
        case .add: " (linked)"
        case .remove: " (unlinked)"
        }
    }
}
