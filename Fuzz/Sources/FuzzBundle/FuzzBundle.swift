import FieldbookSync
import Foundation
import FuzzSupport

// Fuzzes `BundleReader`, which reads a file a colleague handed over. The reader takes a file,
// so each input is written to one scratch file and read back whole, and by
// `BundleReader.header(of:)` as `clone` does. Evidence files the reader verifies land in a
// scratch folder and are removed after each input. The folder is under FIELDBOOK_FUZZ_SCRATCH
// (Scripts/fuzz.sh points it to /dev/shm and removes it after the run), else the temporary one.

let folder: URL = {
    let base = ProcessInfo.processInfo.environment["FIELDBOOK_FUZZ_SCRATCH"].map { URL(fileURLWithPath: $0) }
        ?? FileManager.default.temporaryDirectory
    return base.appendingPathComponent("fieldbook-fuzz-bundle-\(getpid())")
}()
let input = folder.appendingPathComponent("input.fbbundle")
let scratch = folder.appendingPathComponent("scratch")

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    Seeds.writeIfAsked(Seeds.bundles)
    try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(at: folder) }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    FuzzInput.require(FileManager.default.createFile(atPath: input.path, contents: FuzzInput.data(start, count)), "cannot write \(input.path)")
    if let contents = try? BundleReader(scratch: scratch).read(input) {
        for url in contents.objects.values { try? FileManager.default.removeItem(at: url) }
    }
    _ = try? BundleReader.header(of: input)
    // A refused bundle leaves no scratch file behind.
    FuzzInput.require((try? FileManager.default.contentsOfDirectory(atPath: scratch.path))?.isEmpty ?? true, "a scratch file was left behind")
    return 0
}

/// The entry point: hands over to libFuzzer (see `runLibFuzzer`).
@_cdecl("FuzzBundle_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc, argv) { data, size in data.map { fuzz(UnsafeRawPointer($0), size) } ?? 0 }
}
