import ArgumentParser
import FieldbookModel
import FieldbookServer
import Foundation

/// `fieldbook-server engagement create|list`.
struct EngagementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engagement", abstract: "Create and list engagements.", subcommands: [Create.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an engagement; prints its id.")
        @Argument(help: "The engagement's name.") var name: String
        @Option(help: "Use this id: publishes an engagement begun offline with 'fieldbook init' (its id is in 'fieldbook status').")
        var id: String?
        @OptionGroup var storage: StorageOptions
        @Flag(help: "Print one JSON document.") var json = false

        func run() async throws {
            let id = id ?? UUID().uuidString.lowercased()
            guard EntityID(id) != nil else { throw AdminError(status: 1, message: "'\(id)' is not a valid engagement id.") }
            try await storage.withStore { store in try await create(id: id, in: store) }
        }

        private func create(id: String, in store: any ServerStorage) async throws {
            do {
                let engagement = try await store.createEngagement(id: id, name: name, now: Clock.now())
                if json { try printJSON(engagement) } else { print(engagement.id) }
            } catch let error as ServerError where !error.isUnavailable {
                throw AdminError(status: 3, message: error.description)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List engagements.")
        @OptionGroup var storage: StorageOptions
        @Flag(help: "Print one JSON document.") var json = false

        func run() async throws {
            let engagements = try await storage.withStore { try await $0.engagements() }
            if json { try printJSON(["engagements": engagements]); return }
            for engagement in engagements { print("\(engagement.id)  \(engagement.name)") }
        }
    }
}
