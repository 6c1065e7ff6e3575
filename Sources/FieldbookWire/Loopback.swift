/// Whether a host or address is this machine: `localhost`, `::1` (with or without brackets),
/// IPv4 literals 127.x.y.z and their IPv4-mapped IPv6 form `::ffff:127.x.y.z`. Never a name
/// such as `127.example.com`. One rule for the client (where a token may go in clear), the
/// server (where it may listen in clear) and the bad-token limit (who is a local process).
public enum Loopback {
    public static func contains(_ host: String) -> Bool {
        var host = Substring(host.lowercased()).trimmingPrefix("[")
        if host.hasSuffix("]") { host = host.dropLast() }
        if host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        if host.hasPrefix("::ffff:") { host = host.dropFirst("::ffff:".count) }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}
