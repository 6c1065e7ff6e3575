import FieldbookReplica
import Foundation
import FuzzSupport

// Fuzzes `ChangeBatch.decode`, the reader of every change that arrives by push, pull or
// bundle: JSON (format 1) and the binary formats. Any bytes must decode or throw; what
// decodes must survive both encoders unchanged (the server stores the binary form), and a
// workspace's segment form (`ChangeBatch.segment`, every link and signature kept, no keys).
// The same bytes are also read as a stored segment (`ChangeBatch.decodeSegment`, which
// computes no hashes): they must decode or throw there too.

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    Seeds.writeIfAsked(Seeds.changeBatches)
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = FuzzInput.data(start, count)
    _ = try? ChangeBatch.decodeSegment(data)
    guard let batch = try? ChangeBatch.decode(data),
          FuzzInput.binaryFormHolds(batch.changes) else { return 0 }
    let keyless = batch.changes.map { $0.with(publicKey: Data(), signature: $0.signature) }
    let segment = try? ChangeBatch.decodeSegment(ChangeBatch.segment(batch.changes[...]))
    FuzzInput.require(segment == keyless, "a decoded batch does not survive the segment encoding")
    let binary = try? ChangeBatch.decode(ChangeBatch(batch.changes).encoded())
    FuzzInput.require(binary?.changes == batch.changes, "a decoded batch does not survive the binary encoding")
    let json = try? ChangeBatch.decode(ChangeBatch(batch.changes).encodedJSON())
    FuzzInput.require(json?.changes == batch.changes, "a decoded batch does not survive the JSON encoding")
    return 0
}

/// The entry point: hands over to libFuzzer (see `runLibFuzzer`).
@_cdecl("FuzzChangeBatch_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc, argv) { data, size in data.map { fuzz(UnsafeRawPointer($0), size) } ?? 0 }
}
