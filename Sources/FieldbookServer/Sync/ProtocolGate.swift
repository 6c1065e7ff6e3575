import FieldbookModel
import FieldbookReplica
import FieldbookWire
import HTTPTypes

/// Whether a client of an earlier protocol can read a pull page. Segments are served as they
/// were pushed and a site's history cannot skip a change, so a page holding one change the
/// client's schema refuses (a field or word added since) cannot be served in part: the client is
/// answered 426 with the release to install. A page of changes it reads is served as to anyone,
/// so an engagement nobody has used newer fields in keeps syncing with every release. Only
/// earlier clients pay for decoding the page.
enum ProtocolGate {
    static func check(_ page: PullPage, client: ProtocolVersion) throws {
        guard client < .current else { return }
        var needed = ProtocolVersion.v1
        for segment in page.segments where needed <= client {
            // A segment was accepted on push, so it decodes; one that does not is left to the client.
            guard let batch = try? ChangeBatch.decode(segment) else { continue }
            needed = max(needed, batch.changes.neededProtocol)
        }
        guard needed > client else { return }
        throw WireHTTPError(
            HTTPResponse.Status(code: 426, reasonPhrase: "Upgrade Required"), .upgradeRequired,
            "This engagement holds changes your Fieldbook cannot read (they need protocol \(needed.rawValue) and yours speaks \(client.described)): "
                + "install \(needed.release) or later and sync again; your own changes stay in your workspace.",
            headers: [HTTPField.Name("Upgrade")!: "Fieldbook-Protocol/\(needed.rawValue)"])
    }
}
