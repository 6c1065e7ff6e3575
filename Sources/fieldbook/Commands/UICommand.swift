import ArgumentParser
import FieldbookStore
import Foundation

/// `fieldbook ui [--port N] [--no-open]`: the workbench in the browser, over this workspace.
/// The pages are served by `fieldbook-workbench`, installed beside `fieldbook`: its HTTP stack
/// stays out of this binary, so every other command starts as quickly as before. This command
/// finds the workspace (with the CLI's own refusals), then becomes the workbench process.
struct UICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ui", abstract: "Open the workbench: this workspace in your browser, on 127.0.0.1 only, working offline.")

    @Option(help: "The port to listen on (default: a free one).") var port: Int = 0
    @Flag(help: "Print the address only; do not open a browser.") var noOpen = false

    static let workbenchName = "fieldbook-workbench"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535, not \(port).") }
    }

    func run() throws {
        let workspace = try WorkspaceContext.open()
        let executable = Self.installation.appendingPathComponent(Self.workbenchName).path
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw CLIError(status: .unavailable, message: "The workbench (\(Self.workbenchName)) is not installed beside fieldbook in \(Self.installation.path); install it there (swift build --product \(Self.workbenchName)).")
        }
        let arguments = [executable, "--workspace", workspace.location.root.path, "--port", String(port)] + (noOpen ? ["--no-open"] : [])
        var argv = arguments.map { strdup($0) } + [nil]
        execv(executable, &argv)
        throw CLIError(status: .unavailable, message: "The workbench could not be started (\(String(cString: strerror(errno)))); run \(executable) directly.")
    }

    /// The folder this `fieldbook` binary is in (symlinks followed).
    static var installation: URL {
        let link = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: link).resolvingSymlinksInPath().deletingLastPathComponent()
    }
}
