import Hummingbird

/// The chrome around every page: the navigation, a skip link, the notice left by the last
/// write, and the page's own content in `<main>`. Styles and the one script come from this
/// origin (`Assets`): the Content-Security-Policy allows nothing inline.
enum Layout {
    struct Navigation {
        var frameworks: [(key: String, name: String)]
        var conflicts: Int
    }

    static func page(title: String, current: String, navigation: Navigation, notice: SessionGate.Notice?, body: HTML) -> Response {
        let links: [(String, String)] = [("/", "Dashboard")] + navigation.frameworks.map { ("/frameworks/\($0.key)", $0.name) } + [
            ("/risks", "Risks"), ("/findings", "Findings"), ("/requests", "Evidence requests"), ("/tests", "Sampled tests"), ("/interviews", "Interviews"),
            ("/applicability", "Statement of Applicability"), ("/systems", "AI systems"),
            ("/conflicts", navigation.conflicts == 0 ? "Conflicts" : "Conflicts (\(navigation.conflicts))"), ("/sync", "Sync"), ("/reports", "Reports"),
        ]
        let nav: HTML = .element("nav", [("aria-label", "Workbench")], [H.ul(links.map { href, label in
            .element("li", [], [.element("a", [("href", href), ("aria-current", href == current ? "page" : nil)], [.text(label)])])
        })])
        let noticeBlock: HTML = notice.map { notice in
            .element("div", [("class", notice.refused ? "notice refused" : "notice"), ("role", notice.refused ? "alert" : "status")], [.text(notice.text)])
        } ?? .empty
        let document: HTML = [
            .trusted("<!doctype html>"),
            .element("html", [("lang", "en")], [
                .element("head", [], [
                    .element("meta", [("charset", "utf-8")]),
                    .element("meta", [("name", "viewport"), ("content", "width=device-width, initial-scale=1")]),
                    .element("title", [], [.text("\(title) · Fieldbook")]),
                    .element("link", [("rel", "stylesheet"), ("href", Assets.stylesheetPath)]),
                    .element("script", [("src", Assets.scriptPath), ("defer", "")]),
                ]),
                .element("body", [], [
                    .element("a", [("class", "skip"), ("href", "#main")], [.text("Skip to content")]),
                    .element("header", [], [.element("p", [("class", "brand")], [.text("Fieldbook workbench")]), nav]),
                    .element("main", [("id", "main"), ("tabindex", "-1")], [noticeBlock, body]),
                ]),
            ]),
        ]
        return html(document)
    }

    static func html(_ document: HTML, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: document.rendered)))
    }
}

/// A refusal before any page: one sentence, what was wrong and what to do.
enum Refusal {
    static func page(_ status: HTTPResponse.Status, _ sentence: String) -> Response {
        Layout.html([
            .trusted("<!doctype html>"),
            .element("html", [("lang", "en")], [
                .element("head", [], [.element("meta", [("charset", "utf-8")]), .element("title", [], [.text("Refused · Fieldbook")])]),
                .element("body", [], [.element("main", [], [H.h1("Refused"), .element("p", [("role", "alert")], [.text(sentence)])])]),
            ]),
        ], status: status)
    }
}
