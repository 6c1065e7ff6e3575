/// A fragment of an HTML page, built from Swift values. Text and attribute values are escaped
/// where they are written, so a name or note typed by anyone (a colleague, a hostile bundle)
/// is shown as text and never becomes markup: there is no way to put unescaped workspace text
/// into a page.
public struct HTML: Sendable {
    fileprivate enum Node: Sendable {
        case text(String)
        case element(name: String, attributes: [(String, String?)], children: [HTML], void: Bool)
        case fragment([HTML])
        /// Markup written in this module's code (a doctype); never built from data.
        case trusted(StaticString)
    }

    fileprivate let node: Node

    public static func text(_ text: String) -> HTML { HTML(node: .text(text)) }
    public static func group(_ children: [HTML]) -> HTML { HTML(node: .fragment(children)) }
    static let empty = HTML(node: .fragment([]))
    static func trusted(_ markup: StaticString) -> HTML { HTML(node: .trusted(markup)) }

    /// An element; an attribute whose value is nil is left out, one whose value is "" is a flag.
    public static func element(_ name: String, _ attributes: [(String, String?)] = [], _ children: [HTML] = []) -> HTML {
        HTML(node: .element(name: name, attributes: attributes, children: children, void: voidElements.contains(name)))
    }

    private static let voidElements: Set<String> = ["br", "hr", "img", "input", "link", "meta", "source"]

    /// The markup, escaped as HTML5 requires.
    public var rendered: String {
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch node {
        case .text(let text): Self.escape(text, into: &out, quote: false)
        case .trusted(let markup): out += markup.description
        case .fragment(let children): for child in children { child.write(to: &out) }
        case let .element(name, attributes, children, void):
            out += "<" + name
            for (key, value) in attributes {
                guard let value else { continue }
                out += " " + key
                if !value.isEmpty || key.hasPrefix("data-") || key == "value" || key == "alt" {
                    out += "=\""
                    Self.escape(value, into: &out, quote: true)
                    out += "\""
                }
            }
            out += ">"
            if void { return }
            for child in children { child.write(to: &out) }
            out += "</" + name + ">"
        }
    }

    static func escape(_ text: String, into out: inout String, quote: Bool) {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where quote: out += "&quot;"
            case "'" where quote: out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
    }
}

extension HTML: ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    public init(stringLiteral value: String) { self = .text(value) }
}

extension HTML: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: HTML...) { self = .group(elements) }
}

/// Short names for the elements pages use, so a page reads like its markup.
enum H {
    static func el(_ name: String, _ attributes: [(String, String?)] = [], _ children: HTML...) -> HTML {
        .element(name, attributes, children)
    }
    static func h1(_ text: String) -> HTML { .element("h1", [], [.text(text)]) }
    static func h2(_ text: String, id: String? = nil) -> HTML { .element("h2", [("id", id)], [.text(text)]) }
    static func p(_ children: HTML..., class cls: String? = nil) -> HTML { .element("p", [("class", cls)], children) }
    static func a(_ href: String, _ children: HTML..., class cls: String? = nil) -> HTML { .element("a", [("href", href), ("class", cls)], children) }
    static func span(_ text: String, class cls: String? = nil) -> HTML { .element("span", [("class", cls)], [.text(text)]) }
    static func small(_ text: String) -> HTML { .element("small", [], [.text(text)]) }
    static func strong(_ text: String) -> HTML { .element("strong", [], [.text(text)]) }
    static func li(_ children: HTML...) -> HTML { .element("li", [], children) }
    static func ul(_ items: [HTML], class cls: String? = nil) -> HTML { .element("ul", [("class", cls)], items) }

    /// A table with a caption (what screen readers announce), header cells and rows of cells.
    static func table(caption: String, header: [String], rows: [[HTML]], class cls: String? = nil) -> HTML {
        .element("table", [("class", cls)], [
            .element("caption", [], [.text(caption)]),
            .element("thead", [], [.element("tr", [], header.map { .element("th", [("scope", "col")], [.text($0)]) })]),
            .element("tbody", [], rows.map { cells in .element("tr", [], cells.map { .element("td", [], [$0]) }) }),
        ])
    }

    /// A labelled control: every input a page has is named for keyboard and screen-reader users.
    static func field(_ label: String, id: String, _ control: HTML, hint: String? = nil) -> HTML {
        .element("div", [("class", "field")], [
            .element("label", [("for", id)], [.text(label)]),
            control,
            hint.map { .element("small", [("class", "hint"), ("id", id + "-hint")], [.text($0)]) } ?? .empty,
        ])
    }

    static func input(_ name: String, id: String?, type: String = "text", value: String? = nil, required: Bool = false,
                      extra: [(String, String?)] = []) -> HTML {
        .element("input", [("type", type), ("name", name), ("id", id), ("value", value), ("required", required ? "" : nil)] + extra)
    }

    static func textarea(_ name: String, id: String, value: String?, rows: Int = 3) -> HTML {
        .element("textarea", [("name", name), ("id", id), ("rows", String(rows))], [.text(value ?? "")])
    }

    /// A choice among values; `selected` is marked, `blank` adds a first option meaning "none".
    static func select(_ name: String, id: String, options: [(value: String, label: String)], selected: String?, blank: String? = nil) -> HTML {
        let first: [HTML] = blank.map { [.element("option", [("value", "")], [.text($0)])] } ?? []
        return .element("select", [("name", name), ("id", id)], first + options.map { option in
            .element("option", [("value", option.value), ("selected", option.value == selected ? "" : nil)], [.text(option.label)])
        })
    }

    /// A vocabulary's values as a select's options, each labelled as it is stored and typed.
    static func choices<Vocabulary: RawRepresentable<String> & CaseIterable>(_ vocabulary: Vocabulary.Type) -> [(value: String, label: String)] {
        vocabulary.allCases.map { ($0.rawValue, $0.rawValue) }
    }

    /// A due date, marked in words (not only by colour) when it has passed with the work undone.
    static func due(_ date: String?, overdue: Bool) -> HTML {
        let mark: HTML = overdue ? [" ", span("overdue", class: "tag alert")] : .empty
        return [.text(date ?? ""), mark]
    }

    static func button(_ text: String, class cls: String? = nil) -> HTML {
        .element("button", [("type", "submit"), ("class", cls)], [.text(text)])
    }
}
