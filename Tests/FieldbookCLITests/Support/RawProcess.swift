#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Runs a program with arguments given as raw bytes (invalid UTF-8 included, which `Process`
/// cannot pass), stdin from /dev/null, stdout and stderr to files, in `directory`, and kills it
/// (SIGKILL) after `timeout` seconds so a command that blocks on a pipe cannot hang the suite.
enum RawProcess {
    struct Outcome: Sendable {
        let status: Int32
        /// The signal that ended the process, if one did (a crash, or the timeout's SIGKILL).
        let signal: Int32?
        let timedOut: Bool
        let stdout: Data
        let stderr: Data

        var stderrText: String { String(decoding: stderr, as: UTF8.self) }
        var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    }

    static func run(_ executable: String, _ arguments: [[UInt8]], in directory: URL, environment: [String: String?] = [:],
                    timeout: TimeInterval) throws -> Outcome {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fb-raw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outPath = scratch.appendingPathComponent("out").path, errPath = scratch.appendingPathComponent("err").path

        // sh changes to the folder (with any bytes in its name) and execs the program, so the
        // pid waited on is the program's own.
        let argv: [[UInt8]] = [Array("/bin/sh".utf8), Array("-c".utf8), Array(#"cd "$0" && exec "$@""#.utf8),
                               Array(directory.path.utf8), Array(executable.utf8)] + arguments
        var env = ProcessInfo.processInfo.environment
        env["FIELDBOOK_WORKSPACE"] = nil
        for (key, value) in environment { env[key] = value }
        let envp: [[UInt8]] = env.map { Array("\($0.key)=\($0.value)".utf8) }

        func cStrings(_ list: [[UInt8]]) -> [UnsafeMutablePointer<CChar>?] {
            list.map { bytes in
                let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
                for (index, byte) in bytes.enumerated() { pointer[index] = CChar(bitPattern: byte) }
                pointer[bytes.count] = 0
                return pointer
            } + [nil]
        }
        var cArgv = cStrings(argv), cEnvp = cStrings(envp)
        defer { for pointer in cArgv + cEnvp { pointer?.deallocate() } }

        #if canImport(Glibc)
        var actions = posix_spawn_file_actions_t()
        #else
        var actions: posix_spawn_file_actions_t?
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, nil, &cArgv, &cEnvp)
        guard spawned == 0 else { throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "posix_spawn failed: \(spawned)"]) }

        var status: Int32 = 0
        var timedOut = false
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let done = waitpid(pid, &status, WNOHANG)
            if done == pid { break }
            if done < 0 && errno != EINTR { break }
            if Date() > deadline {
                timedOut = true
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                break
            }
            usleep(10_000)
        }
        let signal = status & 0x7F
        return Outcome(status: signal == 0 ? (status >> 8) & 0xFF : -1, signal: signal == 0 ? nil : signal, timedOut: timedOut,
                       stdout: (try? Data(contentsOf: URL(fileURLWithPath: outPath))) ?? Data(),
                       stderr: (try? Data(contentsOf: URL(fileURLWithPath: errPath))) ?? Data())
    }
}
