import Foundation
import Testing

/// A full disk and a read-only filesystem, made real with a small tmpfs (needs root, as
/// CI has): the write is refused with exit 4 and the workspace stays as it was.
@Suite(.serialized)
struct DiskFaultTests {
    static let canMount: Bool = {
        guard getuid() == 0, let mount = try? TmpfsMount(sizeKilobytes: 64) else { return false }
        mount.unmount()
        return true
    }()

    @Test("a full disk refuses the write with exit 4 and changes nothing",
          .enabled(if: canMount, "needs root to mount a small tmpfs"))
    func fullDisk() throws {
        let mount = try TmpfsMount(sizeKilobytes: 2048)
        defer { mount.unmount() }
        let fieldbook = FieldbookProcess(workingDirectory: mount.folder)
        #expect(try fieldbook.run(["init", "--engagement", "Full disk", "--assessor", "Ana"]).status == 0)
        #expect(try fieldbook.run(["assess", "GV-1.1", "--result", "compliant"]).status == 0)
        let before = try fieldbook.run(["export", "--json"]).stdout
        // Fill what is left, then try to write a large note.
        let filler = mount.folder.appendingPathComponent("filler")
        let fill = Process()
        fill.executableURL = URL(fileURLWithPath: "/bin/dd")
        fill.arguments = ["if=/dev/zero", "of=\(filler.path)", "bs=4096"]
        fill.standardError = FileHandle.nullDevice
        try fill.run()
        fill.waitUntilExit()
        let note = String(repeating: "observed ", count: 1_000)
        let refused = try fieldbook.run(["assess", "GV-1.2", "--result", "non-compliant", "--note", note])
        #expect(refused.status == 4, "\(refused.stderr)")
        #expect(refused.stderr.contains("disk is full") || refused.stderr.contains("could not be written"), "\(refused.stderr)")
        try FileManager.default.removeItem(at: filler)
        let after = try fieldbook.run(["export", "--json"])
        #expect(after.status == 0)
        #expect(after.stdout == before)
        #expect(try fieldbook.run(["assess", "GV-1.2", "--result", "non-compliant"]).status == 0)
    }

    @Test("a read-only filesystem refuses the write with exit 4 and changes nothing",
          .enabled(if: canMount, "needs root to mount a small tmpfs"))
    func readOnly() throws {
        let mount = try TmpfsMount(sizeKilobytes: 4096)
        defer { mount.unmount() }
        let fieldbook = FieldbookProcess(workingDirectory: mount.folder)
        #expect(try fieldbook.run(["init", "--engagement", "Read only", "--assessor", "Ana"]).status == 0)
        let before = try fieldbook.run(["export", "--json"]).stdout
        try mount.remount(readOnly: true)
        let refused = try fieldbook.run(["risk", "add", "Bias", "--likelihood", "3", "--impact", "3"])
        #expect(refused.status == 4, "\(refused.stderr)")
        #expect(refused.stderr.contains("read-only") || refused.stderr.contains("could not be written"), "\(refused.stderr)")
        try mount.remount(readOnly: false)
        #expect(try fieldbook.run(["export", "--json"]).stdout == before)
    }
}

/// A tmpfs of a given size on a fresh folder, for disk-fault tests.
struct TmpfsMount {
    let folder: URL

    init(sizeKilobytes: Int) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("fb-tmpfs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        guard Self.mount(["-t", "tmpfs", "-o", "size=\(sizeKilobytes)k", "tmpfs", folder.path]) else {
            try? FileManager.default.removeItem(at: folder)
            throw CocoaError(.fileWriteNoPermission)
        }
    }

    func remount(readOnly: Bool) throws {
        guard Self.mount(["-o", "remount,\(readOnly ? "ro" : "rw")", folder.path]) else { throw CocoaError(.fileWriteUnknown) }
    }

    func unmount() {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/umount")
        process.arguments = [folder.path]
        try? process.run()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: folder)
    }

    private static func mount(_ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/mount")
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
