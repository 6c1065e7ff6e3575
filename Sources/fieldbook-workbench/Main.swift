import ArgumentParser
import FieldbookStore
import FieldbookWorkbench
import Foundation
import Hummingbird
import Logging

/// `fieldbook-workbench`: the browser workbench's server, started by `fieldbook ui`. Prints the
/// address to open (with its secret) and serves until interrupted.
@main
struct WorkbenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fieldbook-workbench", abstract: "Serve the Fieldbook workbench for one workspace on 127.0.0.1 (started by 'fieldbook ui').")

    @Option(help: "The workspace folder.") var workspace: String
    @Option(help: "The port to listen on (0 picks a free one).") var port: Int = 0
    @Flag(help: "Do not open a browser; only print the address.") var noOpen = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535, not \(port).") }
    }

    func run() async throws {
        let location = WorkspaceLocation(root: URL(fileURLWithPath: workspace))
        // Refuse a missing or damaged workspace before listening, with the store's own sentence.
        do { _ = try Workspace.open(location) } catch {
            FileHandle.standardError.write(Data("fieldbook ui: \(error)\n".utf8))
            throw ExitCode(3)
        }
        var logger = Logger(label: "fieldbook.workbench")
        logger.logLevel = ProcessInfo.processInfo.environment["FIELDBOOK_WORKBENCH_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        let workbench = Workbench(location: location, port: port)
        let open = !noOpen
        let application = workbench.application(logger: logger) { _ in
            let url = workbench.startURL
            FileHandle.standardOutput.write(Data("Fieldbook workbench for \(location.root.path)\nOpen \(url)\n(the address carries a key: share it with no one; Ctrl-C stops the workbench)\n".utf8))
            if open { Browser.open(url) }
        }
        do {
            try await application.runService()
        } catch {
            FileHandle.standardError.write(Data("fieldbook ui: the workbench could not listen on 127.0.0.1:\(port) (\(error)); choose another --port.\n".utf8))
            throw ExitCode(4)
        }
    }
}

/// Opens the default browser when the desktop offers a way to (xdg-open, open).
enum Browser {
    static func open(_ url: String) {
        for tool in ["/usr/bin/xdg-open", "/usr/bin/open"] where FileManager.default.isExecutableFile(atPath: tool) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = [url]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try? process.run()
            return
        }
    }
}
