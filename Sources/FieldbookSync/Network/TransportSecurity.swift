import FieldbookWire
import Foundation

/// The rule for sending a token: over `https://` anywhere; over plain `http://` only to this
/// machine (loopback), unless the user said `--insecure-http` for that remote. Checked before
/// any byte leaves, so a token never travels in clear by mistake.
public enum TransportSecurity {
    public static func check(_ url: URL, sendsToken: Bool, allowInsecureHTTP: Bool) throws(SyncError) {
        guard sendsToken, !allowInsecureHTTP, url.scheme?.lowercased() == "http" else { return }
        let host = url.host ?? ""
        guard !Loopback.contains(host) else { return }
        throw .configuration("refusing to send the token to \(host) over plain http://, where anyone on the way can read it; use https://, or pass --insecure-http if the network is yours alone")
    }
}
