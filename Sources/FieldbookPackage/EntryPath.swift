/// The one rule for paths inside a package, applied to what the writer makes and to every
/// entry and manifest line the verifier reads: relative, `/`-separated, no `.` or `..`
/// component, nothing a file system on any platform would read another way.
enum EntryPath {
    static let maximumBytes = 1024

    /// Why `path` is unsafe to extract, or nil when it is fine. `directory`: a ZIP directory
    /// entry, whose path ends in one `/`.
    static func problem(_ path: String, directory: Bool = false) -> String? {
        var path = Substring(path)
        if directory, path.hasSuffix("/") { path = path.dropLast() }
        if path.isEmpty { return "an empty path" }
        if path.utf8.count > maximumBytes { return "a path over \(maximumBytes) bytes" }
        if path.hasPrefix("/") { return "an absolute path" }
        if path.contains("\\") { return "a backslash, which Windows reads as a folder separator" }
        if path.contains(":") { return "a colon, which Windows reads as a drive or stream" }
        if path.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) { return "a control character" }
        for component in path.split(separator: "/", omittingEmptySubsequences: false) {
            if component.isEmpty { return "an empty folder name" }
            if component == "." || component == ".." { return "a '\(component)' component that leaves its folder" }
        }
        return nil
    }

    /// Two paths that one file system could take for the same file (case, Unicode normal
    /// form: Swift's `String` equality is canonical) share this key.
    static func collisionKey(_ path: String) -> String { path.lowercased() }
}
