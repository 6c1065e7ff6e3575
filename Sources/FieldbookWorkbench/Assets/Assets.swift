import Hummingbird

/// The workbench's stylesheet and script, compiled into the binary: nothing is fetched from
/// another host, and there is no JavaScript build chain (the script is written as served).
enum Assets {
    static let stylesheetPath = "/assets/workbench.css"
    static let scriptPath = "/assets/workbench.js"

    static func add(to router: Router<WorkbenchContext>) {
        router.get(RouterPath(stringLiteral: stylesheetPath)) { _, _ in serve(Stylesheet.text, type: "text/css; charset=utf-8") }
        router.get(RouterPath(stringLiteral: scriptPath)) { _, _ in serve(Script.text, type: "text/javascript; charset=utf-8") }
    }

    private static func serve(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "private, max-age=3600"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
