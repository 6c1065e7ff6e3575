import FieldbookModel
import FieldbookReplica
import FieldbookStore
import FieldbookWire
import Foundation

/// A sync whose push the server took in part: every one of this workspace's own changes, but
/// not the colleagues' work relayed here (by bundle). The server's refusal speaks of the one
/// batch it refused ("nothing was accepted"); this is the account of the whole sync.
public struct PartialPush: Sendable, Equatable {
    /// This workspace's own changes, all of which the server now holds.
    public let own: Int
    /// Per colleague, their changes held here that the server refused.
    public let heldBack: [String: Int]
    /// The engagement, for the `token create` command the account suggests.
    public let engagement: String
    /// The server's reason, as it gave it.
    public let reason: String
    /// The server's code for it (`key_not_bound` changes the account's advice).
    public var code: WireErrorCode? = nil

    /// The refusal told as what the server holds now, when only relayed work was refused;
    /// otherwise (own changes refused too, or the server cannot be asked) `refusal` itself.
    public static func account(of refusal: SyncError, workspace: Workspace, transport: HTTPTransport) async -> SyncError {
        let reason: String
        var refusalCode: WireErrorCode?
        switch refusal {
        case .refused(let message, let code), .rejected(let message, let code):
            reason = message
            refusalCode = code
        default: return refusal
        }
        // After a failed pull the server's state is not worth asking for; that failure is told as it is.
        guard !reason.contains(SyncError.pullFailedToo) else { return refusal }
        let site = workspace.identity.site
        guard let answer = try? await transport.send("GET", "engagements/\(workspace.identity.engagement.rawValue)/vector"),
              let held = try? JSONDecoder().decode(VersionVector.self, from: answer.0),
              let missing = try? workspace.exchange.changes(missingFrom: held),
              let own = try? workspace.versionVector().highest(for: site),
              !missing.isEmpty, !missing.contains(where: { $0.dot.site == site })
        else { return refusal }
        let heldBack = Dictionary(grouping: missing, by: \.author).mapValues(\.count)
        return .partlyTaken(PartialPush(own: Int(own), heldBack: heldBack, engagement: workspace.identity.engagement.rawValue, reason: reason,
                                        code: refusalCode),
                            refusal: refusal)
    }

    /// Whether the server refused because it has no key bound to the colleague (the cure is
    /// `token create --public-key`).
    var keyNotBound: Bool { code == .keyNotBound }

    /// One sentence: what the server holds, what it held back and why, and what to do.
    var description: String {
        let colleagues = heldBack.keys.sorted()
        let counts = colleagues.enumerated().map { index, name in
            index == 0 ? "\(counted(heldBack[name]!, "change")) by \(name)" : "\(heldBack[name]!) by \(name)"
        }
        let whose = own == 0 ? "You have no changes of your own to push"
            : "Your own changes were accepted (the server holds \(own == 1 ? "yours" : "all \(own) of them"))"
        let single = heldBack.values.reduce(0, +) == 1
        let verb = single ? "was" : "were", stay = single ? "it stays" : "they stay"
        let head = "\(whose), but \(Self.list(counts)), relayed through this workspace, \(verb) held back"
        guard keyNotBound else {
            // The server's sentence, without its claim about the one batch it refused.
            let said = reason.replacingOccurrences(of: "; nothing was accepted", with: "").trimmingCharacters(in: CharacterSet(charactersIn: " ."))
            return "\(head): the server said \"\(said)\"; \(stay) here and go\(single ? "es" : "") with a later sync."
        }
        let one = colleagues.count == 1 ? colleagues[0] : nil
        let keys = one.map { "\($0)'s key" } ?? "the keys of \(Self.list(colleagues))"
        let assessor = one.map { "\"\($0)\"" } ?? "NAME"
        return "\(head) because the server has not bound \(keys); \(stay) here until \(one ?? "each of them") syncs once with their own token "
            + "or an administrator runs 'fieldbook-server token create --assessor \(assessor) --engagement \(engagement) --public-key KEY' "
            + "(KEY from 'fieldbook status' in \(one.map { "\($0)'s" } ?? "their") workspace), then sync again."
    }

    private static func list(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " and " + items.last!
    }
}
