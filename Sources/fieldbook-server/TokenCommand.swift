import ArgumentParser
import FieldbookServer
import FieldbookWire
import Foundation

/// `fieldbook-server token create|revoke|list`: bearer tokens, one assessor, one engagement
/// and one role each, stored only as a hash.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Issue, revoke and list tokens (assessors', reviewers' and admins').", subcommands: [Create.self, Revoke.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue a token; it is printed once and only its hash is kept.")
        @Option(help: "The assessor the token is for.") var assessor: String
        @Option(help: "The engagement it may sync.") var engagement: String
        @Option(help: "The assessor's public key ('fieldbook status' shows it): binds it now, so a colleague may relay their work before they first sync.")
        var publicKey: String?
        @Option(help: "What the token may do: assessor (read and write), reviewer (read only: pull and download evidence), admin (an assessor's rights on /v1 today).")
        var role: TokenRole = .assessor
        @Option(help: "When the token stops working: YYYY-MM-DD (midnight UTC as that day begins) or an RFC 3339 time; default never.")
        var expires: String?
        @OptionGroup var storage: StorageOptions
        @Flag(help: "Print one JSON document.") var json = false

        func run() async throws {
            guard !assessor.trimmingCharacters(in: .whitespaces).isEmpty else { throw AdminError(status: 1, message: "--assessor needs a name.") }
            let expiry = try expires.map { text in
                switch TokenExpiry.milliseconds(text, now: Clock.now()) {
                case .success(let milliseconds): milliseconds
                case .failure(let refusal): throw AdminError(status: 1, message: refusal.sentence)
                }
            }
            let key = try publicKey.map { text in
                guard let key = Data(base64Encoded: text), SigningKey.isPublicKey(key) else {
                    throw AdminError(status: 1, message: "--public-key must be a workspace's public key as 'fieldbook status' prints it (44 characters of base64).")
                }
                return key
            }
            try await storage.withStore { store in try await create(in: store, key: key, expiry: expiry) }
        }

        private func create(in store: any ServerStorage, key: Data?, expiry: UInt64?) async throws {
            do {
                let token = try await store.createToken(assessor: assessor, engagement: engagement, publicKey: key, role: role,
                                                        expires: expiry, now: Clock.now())
                if json { try printJSON(token); return }
                print(token.token)
                let until = token.expires.map { ", until \($0)" } ?? ""
                FileHandle.standardError.write(Data("Token \(token.id) for \(assessor) (\(role.rawValue)\(until)) on \(engagement); it is shown once, keep it safe.\n".utf8))
            } catch let error as ServerError where !error.isUnavailable {
                if case .unknownEngagement = error { throw AdminError(status: 2, message: error.description) }
                throw AdminError(status: 3, message: error.description + ".")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by its id (see 'token list').")
        @Argument(help: "The token's id.") var id: String
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            guard try await storage.withStore({ try await $0.revokeToken(id: id, now: Clock.now()) }) else {
                throw AdminError(status: 2, message: "No active token with id '\(id)'; 'fieldbook-server token list' shows them.")
            }
            print("Revoked token \(id).")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never their secrets).")
        @OptionGroup var storage: StorageOptions
        @Flag(help: "Print one JSON document.") var json = false

        func run() async throws {
            let tokens = try await storage.withStore { try await $0.tokens() }
            if json { try printJSON(["tokens": tokens]); return }
            let now = Clock.now()
            for token in tokens {
                let expiry = token.expiresAt.map { "  \(token.hasExpired(at: now) ? "expired" : "expires") \(TokenRecord.time($0))" } ?? ""
                let revoked = token.revokedAt.map { "  revoked \(TokenRecord.time($0))" } ?? ""
                print("\(token.id)  \(token.assessor)  \(token.engagement)  \(token.role.rawValue)  created \(TokenRecord.time(token.createdAt))\(expiry)\(revoked)")
            }
        }
    }
}

extension TokenRole: ExpressibleByArgument {}
