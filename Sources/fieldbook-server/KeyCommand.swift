import ArgumentParser
import FieldbookReplica
import FieldbookServer
import Foundation

/// `fieldbook-server key revoke`: cuts off a lost or stolen laptop's signing key on one
/// engagement, keeping what it signed before (issue 31).
struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "Revoke a laptop's signing key on an engagement.", subcommands: [Revoke.self])

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a site's key: its later changes are refused by the server and, once they sync or import a bundle, by every replica; its tokens stop working.",
            discussion: """
                The revocation is signed by the engagement's own key on this server, which every workspace pins at its first \
                sync or clone, and travels to replicas like any change. The site's changes up to the named one stay valid and \
                verifiable; every token of its assessor on the engagement is revoked (issue a new one for their new laptop \
                with 'token create --public-key', after 'fieldbook rekey' there).
                """)
        @Option(help: "The engagement.") var engagement: String
        @Option(help: "The site to revoke ('fieldbook status' shows a workspace's site id).") var site: String
        @Option(help: "The site's last change that stays valid, as SITE/COUNTER (from 'fieldbook log') or a counter; default the last one this server accepted.")
        var after: String?
        @Option(help: "Why, in a sentence (lost, stolen, left the firm); replicas show it.") var reason: String?
        @OptionGroup var storage: StorageOptions
        @Flag(help: "Print one JSON document.") var json = false

        func run() async throws {
            guard let revoked = SiteID(site.trimmingCharacters(in: .whitespaces)) else {
                throw AdminError(status: 1, message: "--site must be a site id, a UUID as 'fieldbook status' prints it; '\(site.prefix(60))' is not one.")
            }
            let lastValid = try after.map { try Self.counter($0, of: revoked) }
            if let reason, reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || reason.utf8.count > 10_000 {
                throw AdminError(status: 1, message: "--reason must be 1 to 10,000 characters.")
            }
            let record: RevocationRecord
            do {
                record = try await storage.withStore { store in
                    try await store.revokeKey(engagement: engagement, site: revoked, lastValid: lastValid, reason: reason, now: Clock.now())
                }
            } catch let error as ServerError where !error.isUnavailable {
                if case .unknownEngagement = error { throw AdminError(status: 2, message: error.description) }
                throw AdminError(status: 3, message: error.description)
            } catch let error as RevocationError {
                switch error {
                case .unknownSite: throw AdminError(status: 2, message: error.description)
                case .beforeAccepted: throw AdminError(status: 3, message: error.description)
                case .ownKey: throw AdminError(status: 1, message: error.description)
                }
            }
            if json { try printJSON(record); return }
            let who = record.assessor.map { " (\($0))" } ?? ""
            let tokens = record.tokensRevoked.isEmpty ? "no token of theirs was active"
                : "token\(record.tokensRevoked.count == 1 ? "" : "s") \(record.tokensRevoked.joined(separator: ", ")) stopped working"
            print("Revoked site \(record.site)\(who) on engagement \(record.engagement) after change \(record.site)/\(record.lastValid): its later changes are refused here and, once they sync or import a bundle, by every replica; \(tokens).")
        }

        /// `SITE/COUNTER` (the site must be the one revoked) or a bare counter (0: nothing it signed stays).
        static func counter(_ text: String, of site: SiteID) throws -> UInt64 {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if let counter = UInt64(trimmed) { return counter }
            guard let dot = Dot(parsing: trimmed) else {
                throw AdminError(status: 1, message: "--after must be a change as 'fieldbook log' names it (SITE/COUNTER) or a counter; '\(text.prefix(80))' is neither.")
            }
            guard dot.site == site else {
                throw AdminError(status: 1, message: "--after names a change of site \(dot.site.text), not of the site revoked (\(site.text)).")
            }
            return dot.counter
        }
    }
}
