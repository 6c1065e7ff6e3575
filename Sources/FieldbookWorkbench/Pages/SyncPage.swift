import FieldbookModel
import FieldbookStore
import FieldbookSync
import Hummingbird

/// `/sync`: the remotes this workspace syncs with, when each last synced and what the server
/// lacked, and "Sync now" for each: the same sync as `fieldbook sync` (`RemoteSync`), with the
/// same refusals in the same words.
enum SyncPage: WorkbenchPages {
    static func add(to router: Router<WorkbenchContext>, workbench: Workbench) {
        router.get("/sync") { _, context in
            let page = try PageContext(workbench, context: context)
            return try page.page("Sync", current: "/sync", try body(page))
        }
        router.post("/sync/:remote") { request, context in
            try await Action.run(workbench, request, context) { _, workspace in
                let name = try context.parameters.require("remote")
                let summary = try await RemoteSync.run(workspace, remote: name)
                return "Synced with \(name): pushed \(summary.pushed) changes (\(summary.pushedAlreadyOnServer) already there), pulled \(summary.pulled), "
                    + "evidence files up \(summary.evidenceUploaded) / down \(summary.evidenceDownloaded)"
                    + (summary.newConflicts > 0 ? "; \(summary.newConflicts) new conflicts." : ".")
            }
        }
    }

    static func body(_ page: PageContext) throws -> HTML {
        let status = try WorkspaceStatus(page.workspace, library: page.catalogs, today: "")
        let rows: [[HTML]] = status.remotes.map { remote in
            [.text(remote.name), .text(remote.url), .text(remote.lastSync ?? "never"),
             .text(remote.serverLacks.map { $0 == 0 ? "nothing" : "\($0) changes" } ?? "not known yet"),
             page.form("/sync/\(remote.name)", back: "/sync", class: "inline", busy: "Syncing with \(remote.name): pushing what the server lacks, then pulling what this workspace lacks…", [H.button("Sync now with \(remote.name)")])]
        }
        return [
            H.h1("Sync"),
            H.p(.text("\(status.unsyncedChanges) of your changes are not yet synced or exported. Last sync: \(status.lastSync ?? "never").")),
            status.remotes.isEmpty
                ? H.p("No remote yet. Add one with 'fieldbook remote add NAME URL --token TOKEN' (your administrator gives you the token).")
                : H.table(caption: "Remotes", header: ["remote", "address", "last sync", "server lacked at last sync", "sync"], rows: rows),
            .element("p", [("class", "muted"), ("data-busy-status", ""), ("aria-live", "polite")], []),
        ]
    }
}
