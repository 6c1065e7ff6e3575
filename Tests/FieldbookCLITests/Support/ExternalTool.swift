import Foundation

/// Runs another program on PATH (python3, sha256sum, openssl, unzip) and returns its exit status
/// and its standard output and error together: the second opinions tests ask of outside tools.
enum ExternalTool {
    static func run(_ arguments: [String], in folder: URL? = nil) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = folder }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}
