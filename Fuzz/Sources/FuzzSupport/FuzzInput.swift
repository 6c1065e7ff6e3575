import CFuzzerDriver
import FieldbookReplica
import Foundation

/// What the fuzz targets share around the decoder they exercise.
public enum FuzzInput {
    /// libFuzzer's bytes, copied (libFuzzer owns them and reuses the buffer).
    public static func data(_ start: UnsafeRawPointer, _ count: Int) -> Data {
        Data(bytes: start, count: count)
    }

    /// A property every decoded value must have. A failure traps, so libFuzzer keeps the input
    /// as a crash, like any other.
    public static func require(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { fatalError("fuzz property failed: \(message())") }
    }
}

/// Runs libFuzzer on `callback`. SwiftPM links an executable target's entry point under the
/// name `<Target>_main` (so tests can link executables), which keeps libFuzzer's own `main`
/// out; each target therefore defines that symbol and hands over to libFuzzer's driver here.
public func runLibFuzzer(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt {
    var argc = argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&argc, &argv, callback)
}

extension FuzzInput {
    /// Whether the binary batch form can hold these changes exactly: it carries one key per
    /// site (32 bytes) and signatures of 64 bytes, while JSON (a key with each change, any
    /// length) and a binary batch naming one site twice in its site table can say more.
    /// Such batches decode, and are refused later by signature checks; the fixtures in
    /// Fixtures/fuzz-crashes/ that showed it are kept. The encoding properties are checked
    /// on the batches this returns true for.
    public static func binaryFormHolds(_ changes: [Change]) -> Bool {
        var keys: [SiteID: Data] = [:]
        for change in changes {
            guard [0, 32].contains(change.publicKey.count), [0, 64].contains(change.signature.count) else { return false }
            if let key = keys[change.dot.site], key != change.publicKey { return false }
            keys[change.dot.site] = change.publicKey
        }
        return true
    }
}
