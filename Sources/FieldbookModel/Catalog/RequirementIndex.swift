/// Turns what a user types (`GV-1.1`, `govern 1.1`, `A.6.2.4`, `iso42001:6.1.2`) into a
/// catalog requirement, or explains why it cannot: unknown (with the closest real ids) or
/// ambiguous (with every candidate).
public struct RequirementIndex: Sendable {
    public let catalogs: [FrameworkID: FrameworkCatalog]
    private let byKey: [String: [RequirementID]]
    private let functionNames: [String]

    /// The two-letter function abbreviations of AI RMF companion documents (AI 600-1).
    static let functionAbbreviations = ["GV": "GOVERN", "MP": "MAP", "MS": "MEASURE", "MG": "MANAGE"]

    public init(catalogs: [FrameworkCatalog]) {
        var map: [FrameworkID: FrameworkCatalog] = [:]
        var byKey: [String: [RequirementID]] = [:]
        for catalog in catalogs {
            map[catalog.framework] = catalog
            for requirement in catalog.requirements {
                byKey[requirement.id.local.uppercased(), default: []].append(requirement.id)
            }
        }
        self.catalogs = map
        self.byKey = byKey
        self.functionNames = catalogs.flatMap(\.requirements).filter { $0.level == .function }.map { $0.id.local.uppercased() }
    }

    /// The entry with `id` in whichever catalog holds it.
    public subscript(id: RequirementID) -> Requirement? {
        catalogs[id.framework]?[id]
    }

    /// Resolves user input to exactly one requirement, or throws a `RequirementLookupError`.
    public func resolve(_ input: String) throws(RequirementLookupError) -> Requirement {
        let trimmed = input.trimmingWhitespace
        guard !trimmed.isEmpty else { throw .empty }
        let candidates = candidates(for: trimmed)
        let found = candidates.compactMap { self[$0] }
        switch found.count {
        case 1: return found[0]
        case 0: throw .unknown(input: trimmed, suggestions: suggestions(for: trimmed))
        default: throw .ambiguous(input: trimmed, candidates: found.map(\.id).sorted())
        }
    }

    /// Every catalog id the input could name, before checking which exist.
    func candidates(for input: String) -> [RequirementID] {
        var text = input.uppercased()
        var framework: FrameworkID?
        if let colon = text.firstIndex(of: ":") {
            let prefix = text[..<colon].lowercased()
            guard let named = FrameworkID(rawValue: prefix), catalogs[named] != nil else { return [] }
            framework = named
            text = String(text[text.index(after: colon)...]).trimmingWhitespace
        }
        var keys = [text]
        keys += nistKeys(for: text)
        keys += isoKeys(for: text)
        var seen = Set<RequirementID>()
        var result: [RequirementID] = []
        for key in keys {
            for id in byKey[key] ?? [] where (framework == nil || id.framework == framework) && seen.insert(id).inserted {
                result.append(id)
            }
        }
        return result
    }

    /// `GV-1.1`, `GOVERN 1.1`, `govern1.1`, `GOV-1` and other function prefixes.
    private func nistKeys(for text: String) -> [String] {
        let letters = text.prefix(while: { $0.isLetter })
        guard !letters.isEmpty else { return [] }
        let rest = text.dropFirst(letters.count).drop(while: { $0 == "-" || $0 == " " || $0 == "_" })
        guard rest.allSatisfy({ $0.isNumber || $0 == "." }) else { return [] }
        let word = String(letters)
        var functions: [String]
        if let full = Self.functionAbbreviations[word] {
            functions = [full]
        } else if functionNames.contains(word) {
            functions = [word]
        } else {
            functions = word.count >= 1 ? functionNames.filter { $0.hasPrefix(word) } : []
        }
        functions = functions.filter(functionNames.contains)
        return functions.map { rest.isEmpty ? $0 : "\($0)-\(rest)" }
    }

    /// `A.6.2.4`, `a 6.2.4`, `B.6.2.4` (the Annex B guidance of control A.6.2.4), `6.1.2`.
    private func isoKeys(for text: String) -> [String] {
        var body = Substring(text)
        var annex = ""
        if let first = body.first, first == "A" || first == "B" {
            annex = "A."
            body = body.dropFirst().drop(while: { $0 == "." || $0 == " " || $0 == "-" })
        }
        guard !body.isEmpty, body.allSatisfy({ $0.isNumber || $0 == "." }) else { return [] }
        return [annex + body]
    }

    /// The closest real ids by edit distance over the local ids, best first.
    public func suggestions(for input: String, limit: Int = 3) -> [RequirementID] {
        // No real id is longer than a few dozen characters; a huge input is no slip of the
        // hand, and its edit distance to every id would cost seconds.
        guard input.utf8.count <= Self.longestSuggestible else { return [] }
        let probe = input.uppercased().replacingSpacesWithDashes
        let probeTail = String(probe.drop(while: { $0.isLetter || $0 == "-" || $0 == ":" }))
        // The input's own form says which framework was meant: a function prefix (GV-9.9) is an
        // AI RMF id, `A.` or bare numbers an ISO clause or control; suggest within it, spelled out.
        let text = String(input.uppercased().trimmingWhitespace.split(separator: ":").last ?? "")
        let functions = nistKeys(for: text)
        let clauses = isoKeys(for: text)
        let probes = functions.isEmpty ? (clauses.isEmpty ? [probe] : clauses) : functions
        let framework: FrameworkID? = !functions.isEmpty ? .nistAIRMF : !clauses.isEmpty ? .iso42001 : nil
        let functionNames = Set(functions.map { String($0.prefix(while: { $0 != "-" })) })
        var scored: [(Int, RequirementID)] = []
        for catalog in catalogs.values where framework == nil || catalog.framework == framework {
            for requirement in catalog.requirements {
                let local = requirement.id.local.uppercased()
                if !functionNames.isEmpty, !functionNames.contains(String(local.prefix(while: { $0 != "-" }))) { continue }
                var score = probes.map { EditDistance.between($0, local) }.min() ?? Int.max
                // Same numbering under another function or annex is a likely slip.
                if !probeTail.isEmpty, local.hasSuffix("-" + probeTail) || local.hasSuffix("." + probeTail) || local == probeTail {
                    score -= 3
                }
                scored.append((score, requirement.id))
            }
        }
        return scored.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.prefix(limit).map(\.1)
    }

    static let longestSuggestible = 64

    /// Every entry whose id, reference, title or text contains all words of `query`, best first.
    public func search(_ query: String) -> [SearchHit] {
        let words = query.lowercased().split(whereSeparator: { $0.isWhitespace }).map(String.init)
        guard !words.isEmpty else { return [] }
        var hits: [SearchHit] = []
        for framework in catalogs.keys.sorted() {
            guard let catalog = catalogs[framework] else { continue }
            for requirement in catalog.requirements {
                if let score = SearchScore.score(requirement, words: words) {
                    hits.append(SearchHit(requirement: requirement, score: score))
                }
            }
        }
        return hits.sorted { $0.score != $1.score ? $0.score > $1.score : $0.requirement.id < $1.requirement.id }
    }
}

/// One result of `search`: a requirement and how well it matched (higher is better).
public struct SearchHit: Sendable {
    public let requirement: Requirement
    public let score: Int
}

/// Ranking of catalog search: an id or reference match counts most, then a title, then text.
enum SearchScore {
    static func score(_ requirement: Requirement, words: [String]) -> Int? {
        let id = requirement.id.qualified.lowercased()
        let ref = requirement.ref.lowercased()
        let title = (requirement.title ?? "").lowercased()
        let text = (requirement.text ?? "").lowercased()
        var total = 0
        for word in words {
            var best = 0
            if id == word || ref == word || requirement.id.local.lowercased() == word { best = 100 }
            else if id.contains(word) || ref.contains(word) { best = 40 }
            if title.contains(word) { best = max(best, containsWord(title, word) ? 30 : 20) }
            if text.contains(word) { best = max(best, containsWord(text, word) ? 10 : 5) }
            guard best > 0 else { return nil }
            total += best
        }
        return total
    }

    private static func containsWord(_ haystack: String, _ word: String) -> Bool {
        haystack.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).contains { $0 == word }
    }
}

/// Why typed input names no single requirement; `description` is the sentence users see.
public enum RequirementLookupError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    /// Nothing matches; `suggestions` are the closest real ids.
    case unknown(input: String, suggestions: [RequirementID])
    /// Several requirements match; `candidates` lists them.
    case ambiguous(input: String, candidates: [RequirementID])

    public var description: String {
        switch self {
        case .empty:
            return "A requirement id is needed, such as GOVERN-1.1 or A.6.2.4."
        case let .unknown(input, suggestions):
            let hint = suggestions.isEmpty ? "" : "; did you mean \(Self.list(suggestions))?"
            return "No requirement '\(Self.shown(input))' in NIST AI RMF 1.0 or ISO/IEC 42001:2023\(hint) ('fieldbook catalog search WORDS' finds ids by words)"
        case let .ambiguous(input, candidates):
            return "'\(Self.shown(input))' could mean \(Self.list(candidates)); type one of them in full."
        }
    }

    /// The input as quoted back: a pasted paragraph is cut, so the error stays one readable line.
    private static func shown(_ input: String) -> String {
        input.count <= 60 ? input : "\(input.prefix(40))… (\(input.count) characters)"
    }

    private static func list(_ ids: [RequirementID]) -> String {
        let names = ids.map(\.qualified)
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " or " + names.last!
    }
}
