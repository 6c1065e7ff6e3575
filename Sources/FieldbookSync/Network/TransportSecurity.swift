import Foundation

/// The rule for sending a token: over `https://` anywhere; over plain `http://` only to this
/// machine (loopback), unless the user said `--insecure-http` for that remote. Checked before
/// any byte leaves, so a token never travels in clear by mistake.
public enum TransportSecurity {
    public static func check(_ url: URL, sendsToken: Bool, allowInsecureHTTP: Bool) throws(SyncError) {
        guard sendsToken, !allowInsecureHTTP, url.scheme?.lowercased() == "http" else { return }
        let host = url.host ?? ""
        guard !isLoopback(host) else { return }
        throw .configuration("refusing to send the token to \(host) over plain http://, where anyone on the way can read it; use https://, or pass --insecure-http if the network is yours alone")
    }

    /// `localhost`, 127.0.0.0/8 and ::1 (with or without brackets).
    public static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}
