/// Why a library file was refused. Each case names the file; its `description` is one sentence
/// saying what is wrong and, where it helps, what to do.
///
/// `place` values are phrases the reader builds ("the library", "the framework",
/// "node urn:…:a.5.2", "mapping 12 of urn:…:req_mapping_set:x"); `line` is 1-based, when known.
public enum LibraryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened or read.
    case unreadable(file: String, reason: String)
    /// Larger than `LibraryReader.Limits.maxBytes`; refused before it is read.
    case tooLarge(file: String, bytes: Int, limit: Int)
    /// No bytes, or only whitespace and comments.
    case empty(file: String)
    /// Not UTF-8 text (a binary file, or another encoding).
    case notText(file: String)
    /// A YAML syntax error libyaml reported.
    case notYAML(file: String, line: Int?, problem: String)
    /// The YAML stops in the middle of a construct (a file cut short).
    case truncated(file: String, line: Int?)
    /// More than one YAML document (`---`) in the file.
    case severalDocuments(file: String)
    /// Anchors and aliases (`&a`, `*a`) are refused outright: libraries never need them, and they
    /// are how a small file expands into billions of nodes.
    case aliases(file: String, line: Int?)
    /// Nested deeper than `LibraryReader.Limits.maxDepth`.
    case tooDeep(file: String, limit: Int)
    /// More YAML nodes than `LibraryReader.Limits.maxNodes`.
    case tooManyNodes(file: String, limit: Int)
    /// Valid YAML (or JSON) that is not a CISO Assistant library; `reason` says what it is instead.
    case notALibrary(file: String, reason: String)
    /// Neither a framework nor a mapping set.
    case noContent(file: String)
    /// Both spellings of one object (`framework` and `frameworks`, or `requirement_mapping_set`
    /// and `requirement_mapping_sets`); which one CISO Assistant would read is not obvious.
    case conflictingKeys(file: String, first: String, second: String)
    /// A `frameworks` list with more than one framework: Fieldbook reads one framework a library.
    case severalFrameworks(file: String, count: Int)
    case missingField(file: String, place: String, field: String, line: Int?)
    /// `found` describes the value ("a list", "the text \"two\""); `expected` what the format needs.
    case wrongType(file: String, place: String, field: String, found: String, expected: String, line: Int?)
    case invalidURN(file: String, place: String, field: String, value: String, line: Int?)
    case duplicateURN(file: String, urn: String, line: Int?)
    case missingParent(file: String, node: String, parent: String)
    /// `urns` lists the nodes of the cycle, starting where it was found.
    case parentCycle(file: String, urns: [String])
    case depthMismatch(file: String, node: String, stated: Int, computed: Int)
    case unknownRelationship(file: String, place: String, value: String, line: Int?)
    /// A well-formed library Fieldbook cannot use as it stands (an id it cannot name, a mapping
    /// to a framework that is not there); `reason` says what and what to do.
    case unusable(file: String, reason: String)

    /// The file the error is about.
    public var file: String {
        switch self {
        case .unreadable(let file, _), .tooLarge(let file, _, _), .empty(let file), .notText(let file),
             .notYAML(let file, _, _), .truncated(let file, _), .severalDocuments(let file),
             .aliases(let file, _), .tooDeep(let file, _), .tooManyNodes(let file, _),
             .notALibrary(let file, _), .noContent(let file), .conflictingKeys(let file, _, _),
             .severalFrameworks(let file, _), .missingField(let file, _, _, _),
             .wrongType(let file, _, _, _, _, _), .invalidURN(let file, _, _, _, _),
             .duplicateURN(let file, _, _), .missingParent(let file, _, _), .parentCycle(let file, _),
             .depthMismatch(let file, _, _, _), .unknownRelationship(let file, _, _, _), .unusable(let file, _):
            return file
        }
    }

    public var description: String {
        "\(file): \(problem)."
    }

    private var problem: String {
        switch self {
        case .unreadable(_, let reason):
            return "cannot be read (\(reason))"
        case .tooLarge(_, let bytes, let limit):
            return "is \(Self.megabytes(bytes)), larger than the \(Self.megabytes(limit)) a library may be, so it was not read"
        case .empty:
            return "is empty; a library file holds one YAML document with urn, name, version and objects"
        case .notText:
            return "is not a YAML library but binary data (not UTF-8 text)"
        case .notYAML(_, let line, let problem):
            return "is not valid YAML\(Self.at(line)): \(problem)"
        case .truncated(_, let line):
            return "ends in the middle of a YAML construct\(Self.at(line)); the file looks cut short, copy it again"
        case .severalDocuments:
            return "holds several YAML documents; a library file holds exactly one"
        case .aliases(_, let line):
            return "uses YAML anchors or aliases\(Self.at(line)), which libraries never need and which are refused (they can expand a small file into billions of nodes)"
        case .tooDeep(_, let limit):
            return "nests deeper than \(limit) levels, far beyond any library"
        case .tooManyNodes(_, let limit):
            return "holds more than \(limit) YAML values, far beyond any library"
        case .notALibrary(_, let reason):
            return "is not a CISO Assistant library: \(reason)"
        case .noContent:
            return "defines neither a framework nor a requirement mapping set under objects, so there is nothing to import"
        case .conflictingKeys(_, let first, let second):
            return "defines both objects.\(first) and objects.\(second); keep one"
        case .severalFrameworks(_, let count):
            return "defines \(count) frameworks; Fieldbook reads one framework a library, so split it into one file each"
        case .missingField(_, let place, let field, let line):
            return "\(place) has no \(field)\(Self.at(line))"
        case .wrongType(_, let place, let field, let found, let expected, let line):
            return "\(Self.possessive(place)) \(field) is \(found), not \(expected)\(Self.at(line))"
        case .invalidURN(_, let place, let field, let value, let line):
            return "\(Self.possessive(place)) \(field) \"\(Self.clipped(value))\" is not a URN (one word starting with urn:)\(Self.at(line))"
        case .duplicateURN(_, let urn, let line):
            return "defines \(urn) twice\(Self.at(line)); every URN in a library is unique"
        case .missingParent(_, let node, let parent):
            return "node \(node) names parent \(parent) that the file does not define"
        case .parentCycle(_, let urns):
            let shown = urns.count > 4 ? urns.prefix(4).joined(separator: " -> ") + " -> ..." : urns.joined(separator: " -> ")
            return "the parent_urn links of nodes \(shown) form a cycle, so they have no place in the framework's tree"
        case .depthMismatch(_, let node, let stated, let computed):
            return "node \(node) states depth \(stated) but its parent chain puts it at depth \(computed); check its parent_urn"
        case .unknownRelationship(_, let place, let value, let line):
            let known = LibraryDocument.Relationship.allCases.map(\.rawValue).joined(separator: ", ")
            return "\(Self.possessive(place)) relationship \"\(Self.clipped(value))\" is not one of \(known)\(Self.at(line))"
        case .unusable(_, let reason):
            return reason
        }
    }

    private static func at(_ line: Int?) -> String {
        line.map { " (line \($0))" } ?? ""
    }

    private static func possessive(_ place: String) -> String {
        place.hasSuffix("s") ? place + "'" : place + "'s"
    }

    static func clipped(_ text: String) -> String {
        text.count > 60 ? String(text.prefix(57)) + "..." : text
    }

    private static func megabytes(_ bytes: Int) -> String {
        let mib = Double(bytes) / 1_048_576
        return mib >= 10 ? "\(Int(mib.rounded())) MiB" : "\((mib * 10).rounded() / 10) MiB"
    }
}
