import FieldbookReplica
import FieldbookWire
import Foundation
import FuzzSupport

// Fuzzes the pull wire types: `PullPage.decode` (what the sync client reads from a server)
// and `PullRequest` as JSON (what the server reads from a client). Every input goes to both.

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    Seeds.writeIfAsked(Seeds.pullInputs)
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = FuzzInput.data(start, count)
    if let page = try? PullPage.decode(data), FuzzInput.binaryFormHolds(page.changes) {
        FuzzInput.require((try? PullPage.decode(page.encoded())) == page, "a decoded pull page does not survive encoding")
    }
    if let request = try? JSONDecoder().decode(PullRequest.self, from: data) {
        let again = try? JSONDecoder().decode(PullRequest.self, from: Wire.jsonEncoder.encode(request))
        FuzzInput.require(again == request, "a decoded pull request does not survive encoding")
    }
    return 0
}

/// The entry point: hands over to libFuzzer (see `runLibFuzzer`).
@_cdecl("FuzzPullPage_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc, argv) { data, size in data.map { fuzz(UnsafeRawPointer($0), size) } ?? 0 }
}
