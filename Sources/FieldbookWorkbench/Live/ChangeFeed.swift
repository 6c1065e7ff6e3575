import FieldbookStore
import Foundation
import Hummingbird
import ServiceLifecycle

/// `/events`: server-sent events telling an open page that the workspace changed, whoever
/// changed it (this workbench, the CLI, a bundle import, a sync in another process). SQLite
/// has no cross-process notification, so the feed polls the newest change's stamp every
/// quarter second (one indexed read) and sends `change` when it moves: a change shows in an
/// open page well within a second, with nothing to install and no reload by hand.
struct ChangeFeed {
    let workbench: Workbench
    static let interval: Duration = .milliseconds(250)

    func add(to router: Router<WorkbenchContext>) {
        router.get("/events") { _, _ in
            let workspace = try workbench.workspace()
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream"
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                var last = try? workspace.latestChange()
                // A comment first, so the browser knows the stream is open.
                try await writer.write(ByteBuffer(string: ": fieldbook workbench\nretry: 1000\n\n"))
                var idle = 0
                // Until the tab closes or the workbench stops (Ctrl-C waits for open requests to end).
                while !Task.isCancelled && !Task.isShuttingDownGracefully {
                    try await Task.sleep(for: Self.interval)
                    let now = try? workspace.latestChange()
                    if now != last {
                        last = now
                        try await writer.write(ByteBuffer(string: "event: change\ndata: \(now.map { String($0.rawValue) } ?? "")\n\n"))
                        idle = 0
                    } else if idle >= 60 {
                        // A keep-alive every 15 s finds a closed tab (the write fails) and ends the loop.
                        try await writer.write(ByteBuffer(string: ": alive\n\n"))
                        idle = 0
                    } else {
                        idle += 1
                    }
                }
                try await writer.finish(nil)
            })
        }
    }
}
