import Foundation
import Yams

/// Reads a library file in CISO Assistant's YAML format into a validated `LibraryDocument`, or
/// refuses it with one `LibraryError` naming the file and the problem.
///
/// Hostile input is bounded before it costs anything: the size is checked before a byte is read
/// (`read(contentsOf:)`) or parsed; one pass over the bytes bounds the number of YAML values from
/// above (a composed value costs Yams about 280 bytes, so 20 MiB of `a,a,a,...` would cost 3 GB);
/// libyaml stops at 1,000 levels of nesting while parsing; and the composed tree is walked once,
/// without recursion, refusing anchors and aliases at the first one (Yams composes an alias as a
/// shared reference to its anchor's node, so a "billion laughs" file costs only its own size until
/// something walks into it, and nothing does), more than `maxDepth` levels or more than
/// `maxNodes` values. Only then are fields read.
public enum LibraryReader {
    /// What a library may cost. The defaults sit far above real libraries (CISO Assistant's
    /// largest are a few MiB, about a dozen levels deep) and far below what hurts a laptop.
    public struct Limits: Sendable, Hashable {
        /// 20 MiB: the EU AI Act library, with every recital, is 0.8 MiB.
        public var maxBytes: Int
        /// 64 levels: a node's question's choice's translation is about 12 deep.
        public var maxDepth: Int
        /// 1,000,000 YAML values (scalars, lists and mappings): a 20 MiB library of prose holds
        /// about 400,000; the EU AI Act library about 15,000. Checked twice: estimated from the
        /// bytes before parsing (an upper bound), then counted exactly.
        public var maxNodes: Int

        public init(maxBytes: Int = 20 * 1_048_576, maxDepth: Int = 64, maxNodes: Int = 1_000_000) {
            self.maxBytes = maxBytes
            self.maxDepth = maxDepth
            self.maxNodes = maxNodes
        }

        public static let standard = Limits()
    }

    /// Reads the file at `url`, refusing it by its size before reading it whole.
    public static func read(contentsOf url: URL, limits: Limits = .standard) throws(LibraryError) -> LibraryDocument {
        let file = url.lastPathComponent
        let size: Int
        do {
            let values = try url.resourceValues(forKeys: [.fileSizeKey, .isDirectoryKey])
            if values.isDirectory == true { throw LibraryError.unreadable(file: file, reason: "it is a folder") }
            size = values.fileSize ?? 0
        } catch let error as LibraryError {
            throw error
        } catch {
            throw .unreadable(file: file, reason: Self.reason(error))
        }
        guard size <= limits.maxBytes else { throw .tooLarge(file: file, bytes: size, limit: limits.maxBytes) }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadable(file: file, reason: Self.reason(error))
        }
        return try read(data, file: file, limits: limits)
    }

    /// Reads library bytes; `file` names them in errors (the file name the user gave).
    public static func read(_ data: Data, file: String, limits: Limits = .standard) throws(LibraryError) -> LibraryDocument {
        let (root, _) = try compose(data, file: file, limits: limits)
        return try LibraryDecoder.document(root, file: file)
    }

    /// The YAML tree of `data` and its number of values, after every limit and the alias check.
    static func compose(_ data: Data, file: String, limits: Limits) throws(LibraryError) -> (root: Node, values: Int) {
        guard data.count <= limits.maxBytes else {
            throw .tooLarge(file: file, bytes: data.count, limit: limits.maxBytes)
        }
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        // A NUL never occurs in YAML text; it is the quickest sign of a binary file.
        guard !bytes.contains(0), let text = String(data: bytes, encoding: .utf8) else {
            throw .notText(file: file)
        }
        guard !text.allSatisfy(\.isWhitespace) else { throw .empty(file: file) }
        guard estimatedValues(bytes, stopAbove: limits.maxNodes) <= limits.maxNodes else {
            throw .tooManyNodes(file: file, limit: limits.maxNodes)
        }

        let parser: Parser
        let root: Node?
        do {
            // The basic resolver: fields are typed by the reader, so tag regexes would be wasted.
            parser = try Parser(yaml: text, resolver: .basic, constructor: .default, encoding: .utf8)
            root = try parser.singleRoot()
        } catch {
            throw Self.yamlError(error, file: file, text: text, limits: limits)
        }
        guard let root else { throw .empty(file: file) }
        // Anchors are weak references the parser owns: it must outlive the walk that looks for them.
        let values = try withExtendedLifetime(parser) { () throws(LibraryError) -> Int in
            try checkTree(root, file: file, limits: limits)
        }
        return (root, values)
    }

    /// An upper bound on the values libyaml would compose, from the indicators that begin them:
    /// every value but the root follows `- `, `, `, `[`, `{`, `? ` or is one side of `: ` (two
    /// values). Indicators inside text count too, so prose over-counts (about one a 50 bytes);
    /// what matters is that `a,a,a,...` cannot under-count. Stops counting past `stopAbove`.
    static func estimatedValues(_ bytes: Data.SubSequence, stopAbove limit: Int) -> Int {
        bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Int in
            var count = 1
            var previous: UInt8 = 0x0A
            for byte in raw {
                switch byte {
                case UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "{"):
                    count += 1
                case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"),
                     UInt8(ascii: "]"), UInt8(ascii: "}"):
                    // An indicator counts once the byte after it shows it is one (`a:b` is one scalar).
                    if previous == UInt8(ascii: ":") { count += 2 }
                    if previous == UInt8(ascii: "-") || previous == UInt8(ascii: "?") { count += 1 }
                default:
                    break
                }
                previous = byte
                if count > limit { return count }
            }
            return previous == UInt8(ascii: ":") ? count + 2 : count
        }
    }

    /// One walk over the tree, in document order, with an explicit stack.
    private static func checkTree(_ root: Node, file: String, limits: Limits) throws(LibraryError) -> Int {
        var stack: [(node: Node, depth: Int)] = [(root, 1)]
        var count = 0
        while let (node, depth) = stack.popLast() {
            count += 1
            guard count <= limits.maxNodes else { throw .tooManyNodes(file: file, limit: limits.maxNodes) }
            guard depth <= limits.maxDepth else { throw .tooDeep(file: file, limit: limits.maxDepth) }
            guard node.anchor == nil else { throw .aliases(file: file, line: node.mark?.line) }
            switch node {
            case .scalar:
                break
            case .alias(let alias):
                throw .aliases(file: file, line: alias.mark?.line)
            case .sequence(let sequence):
                for child in sequence.reversed() { stack.append((child, depth + 1)) }
            case .mapping(let mapping):
                for (key, value) in mapping.reversed() {
                    stack.append((value, depth + 1))
                    stack.append((key, depth + 1))
                }
            }
        }
        return count
    }

    /// libyaml's and Yams' errors in the reader's words.
    private static func yamlError(_ error: any Error, file: String, text: String, limits: Limits) -> LibraryError {
        guard let error = error as? YamlError else { return .notYAML(file: file, line: nil, problem: "\(error)") }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            if problem.contains("Maximum nesting level") { return .tooDeep(file: file, limit: limits.maxDepth) }
            if problem.contains("expected a single document") || problem.contains("found another document") {
                return .severalDocuments(file: file)
            }
            if problem.contains("end of stream") || Self.isAtEnd(mark, of: text) {
                return .truncated(file: file, line: mark.line)
            }
            let where_ = context.map { " \($0.text)" } ?? ""
            return .notYAML(file: file, line: mark.line, problem: problem + where_)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            return .notYAML(file: file, line: context.mark.line, problem: "the key \(keys) appears twice in one mapping")
        case .reader(let problem, _, _, _):
            return .notYAML(file: file, line: nil, problem: problem)
        case .dataCouldNotBeDecoded:
            return .notText(file: file)
        default:
            return .notYAML(file: file, line: nil, problem: "\(error)")
        }
    }

    /// Whether libyaml stopped on the last line of the text (or past it): a construct left open.
    private static func isAtEnd(_ mark: Mark, of text: String) -> Bool {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let lastContentLine = (lines.lastIndex { !$0.allSatisfy(\.isWhitespace) } ?? 0) + 1
        return mark.line >= lastContentLine + 1
    }

    private static func reason(_ error: any Error) -> String {
        (error as NSError).localizedDescription
    }
}
