import Hummingbird

/// One page of a long list (a register may hold 10,000 entries), and the links to the others.
struct Pager<Item> {
    static var size: Int { 100 }

    let shown: ArraySlice<Item>
    /// This page's number, from 1, and how many there are.
    let number: Int
    let pages: Int

    /// Page `number` of `items` (clamped to the pages there are).
    init(_ items: [Item], number: Int) {
        pages = max(1, (items.count + Self.size - 1) / Self.size)
        self.number = min(max(1, number), pages)
        shown = items.dropFirst((self.number - 1) * Self.size).prefix(Self.size)
    }

    /// Previous and next links; none when everything fits on one page. `path` may carry a
    /// query (a list's filter), which the links keep.
    func links(_ path: String) -> HTML {
        guard pages > 1 else { return .empty }
        let page = path + (path.contains("?") ? "&" : "?") + "page="
        return .element("nav", [("class", "pager"), ("aria-label", "Pages")], [
            number > 1 ? H.a("\(page)\(number - 1)", "Previous page") : .empty,
            H.span("Page \(number) of \(pages)"),
            number < pages ? H.a("\(page)\(number + 1)", "Next page") : .empty,
        ])
    }
}

extension Request {
    /// The `page` query parameter, 1 when absent.
    var pageNumber: Int { max(1, uri.queryParameters["page"].flatMap { Int($0) } ?? 1) }
}
