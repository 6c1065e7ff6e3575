import FieldbookModel
import FieldbookWire
import Foundation

/// Why a sync failed, with the exit status the CLI reports: 4 unreachable, 5 refused
/// token, 3 the server holds another engagement or refused our changes (a partly taken push
/// keeps the status of its refusal).
public enum SyncError: Error, Sendable, CustomStringConvertible, Equatable {
    case unreachable(String, String)
    /// 401/403/429: the server would not let this token do it; `code` says why (nil from a server
    /// older than wire codes).
    case refused(String, code: WireErrorCode? = nil)
    case noSuchEngagement(String)
    /// 409/422/400/413: the server refused what was sent; `code` says why.
    case rejected(String, code: WireErrorCode? = nil)
    case serverFailure(String)
    case configuration(String)
    case unknownRemote(String, known: [String])
    case damagedBlob(String)
    /// TLS failed: the server's certificate is not trusted or does not name the host (host, reason).
    case untrustedServer(String, String)
    /// The token may only read (a reviewer's): the pull went through (`pulled` changes), and
    /// the `kept` local changes the server refused stay in the workspace.
    case readOnly(server: String, pulled: Int, kept: Int)
    /// The server took this workspace's own changes and refused only colleagues' relayed work.
    indirect case partlyTaken(PartialPush, refusal: SyncError)
    /// The server speaks an earlier protocol than `kept` of this workspace's changes need: they
    /// stay here (with every later change of their sites, since a site's history is sent in
    /// order); everything else was pushed and pulled.
    case olderServer(server: String, speaks: ProtocolVersion, needed: ProtocolVersion, kept: Int)
    /// The server states another key for the engagement than the one pinned at the first sync
    /// (from `pinnedFrom`): nothing is synced, since revocations it signed would be refused.
    case engagementKeyChanged(server: String, pinnedFrom: String?)

    /// The server refused the pushed changes themselves (their stamps, their keys), not the
    /// sync: the pull can still go ahead.
    var isRefusalOfChanges: Bool {
        switch self {
        case .rejected, .refused: true
        default: false
        }
    }

    /// Joins a refusal to the failure of the pull that came after it.
    static let pullFailedToo = "; the pull that followed failed too: "

    /// This refusal, telling also of the failure that came after it, with the refusal's
    /// exit status: the assessor must learn that changes were refused, whatever else failed.
    func followed(by failure: any Error) -> SyncError {
        let text = String(describing: failure).trimmingCharacters(in: CharacterSet(charactersIn: " ."))
        let then = Self.pullFailedToo + text.prefix(1).lowercased() + text.dropFirst() + "."
        switch self {
        case let .rejected(message, code): return .rejected(message.trimmingCharacters(in: CharacterSet(charactersIn: " .")) + then, code: code)
        case let .refused(message, code): return .refused(message.trimmingCharacters(in: CharacterSet(charactersIn: " .")) + then, code: code)
        default: return self
        }
    }

    public var description: String {
        switch self {
        case let .unreachable(url, why): "The server at \(url) cannot be reached (\(why)); check the address and your network, then sync again."
        case .refused(let message, _): "The server refused this sync: \(message.prefix(1).lowercased() + message.dropFirst())"
        case .noSuchEngagement(let message): message.hasSuffix(".") ? message : message + "."
        // A later server's 426 names the release to install: its sentence stands alone.
        case .rejected(let message, .upgradeRequired?): message
        case .rejected(let message, _): "The server refused the changes: \(message)"
        case .serverFailure(let message): "The server failed: \(message); try again later."
        case .configuration(let message): message.prefix(1).uppercased() + message.dropFirst() + "."
        case let .unknownRemote(name, known):
            known.isEmpty ? "No remote '\(name)'; add one with 'fieldbook remote add NAME URL --token TOKEN'."
                : "No remote '\(name)'; the remotes are \(known.joined(separator: ", "))."
        case .damagedBlob(let sha): "The file \(sha.prefix(12))... (evidence or a library) from the server does not match its hash; nothing was kept, sync again."
        case .partlyTaken(let push, _): push.description
        case let .readOnly(server, pulled, kept):
            "Pulled \(pulled) change\(pulled == 1 ? "" : "s"); your \(kept) local change\(kept == 1 ? " stays" : "s stay") here: your token for \(server) "
                + "is a reviewer's, which cannot push; ask the engagement's administrator for an assessor token."
        case let .olderServer(server, speaks, needed, kept):
            "The server at \(server) speaks \(speaks.described), which cannot read \(kept) of this workspace's change\(kept == 1 ? "" : "s"): "
                + "\(kept == 1 ? "it needs" : "they need") protocol \(needed.rawValue) and \(kept == 1 ? "stays" : "stay") here until the server's operator "
                + "installs \(needed.release) or later; everything else was pushed and pulled."
        case let .engagementKeyChanged(server, pinnedFrom):
            "The server at \(server) states another key for this engagement than the one this workspace pinned at its first sync\(pinnedFrom.map { " (from \($0))" } ?? ""), "
                + "so revocations it signs could not be trusted; nothing was synced. If the server was rebuilt without its database, restore it from a backup; otherwise check that this is the engagement's server."
        case let .untrustedServer(host, why):
            "The server \(host) could not be trusted (\(why)); nothing was sent. If it uses a private certificate authority, give its certificate with --ca-cert FILE (remote add or clone)."
        }
    }
}
