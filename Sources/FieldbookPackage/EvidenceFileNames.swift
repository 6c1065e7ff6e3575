import Foundation

/// Evidence files go under `evidence/` by the names the assessor gave them, made safe to
/// extract anywhere and unique: two `report.pdf` become `report.pdf` and `report (2).pdf`.
/// Names that differ only in case count as the same, for the file systems where they are.
enum EvidenceFileNames {
    /// Characters Windows refuses in a file name.
    private static let refused = Set("<>:\"|?*\\/".unicodeScalars)
    private static let reserved = Set(["CON", "PRN", "AUX", "NUL"] + (1...9).flatMap { ["COM\($0)", "LPT\($0)"] })
    private static let maximumBytes = 200

    /// One name per entry of `names`, in order; `fallbacks[i]` stands in for a name with
    /// nothing usable left.
    static func assign(_ names: [String?], fallbacks: [String]) -> [String] {
        var taken: Set<String> = []
        return zip(names, fallbacks).map { name, fallback in
            let (stem, ext) = split(safe(name ?? "", fallback: fallback))
            var candidate = stem + ext
            var number = 2
            while taken.contains(EntryPath.collisionKey(candidate)) {
                candidate = "\(stem) (\(number))\(ext)"
                number += 1
            }
            taken.insert(EntryPath.collisionKey(candidate))
            return candidate
        }
    }

    /// The last path component, with control and refused characters replaced, leading and
    /// trailing dots and spaces trimmed, reserved device names prefixed, and length capped.
    static func safe(_ name: String, fallback: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var scalars = String.UnicodeScalarView()
        for scalar in last.unicodeScalars {
            scalars.append(refused.contains(scalar) || scalar.properties.generalCategory == .control ? "_" : scalar)
        }
        var cleaned = String(scalars).trimmingCharacters(in: .init(charactersIn: ". ").union(.whitespacesAndNewlines))
        if cleaned.isEmpty { cleaned = fallback }
        let (stem, ext) = split(cleaned)
        let safeStem = reserved.contains(stem.uppercased()) ? "_" + stem : stem
        return capped(safeStem, ext)
    }

    /// `name.ext` as ("name", ".ext"); a short extension only, so "v1.2 final" keeps its whole name.
    private static func split(_ name: String) -> (String, String) {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return (name, "") }
        let ext = String(name[dot...])
        guard ext.count <= 16, !ext.contains(" ") else { return (name, "") }
        return (String(name[..<dot]), ext)
    }

    private static func capped(_ stem: String, _ ext: String) -> String {
        var stem = stem
        while (stem + ext).utf8.count > maximumBytes, !stem.isEmpty { stem.removeLast() }
        return stem + ext
    }
}
