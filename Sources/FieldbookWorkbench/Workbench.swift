import FieldbookCatalogs
import FieldbookModel
import FieldbookStore
import Foundation
import Hummingbird
import Logging
import Synchronization

/// The local web workbench over one workspace (`fieldbook ui`): pages an assessor's day needs,
/// served on 127.0.0.1 only, behind the start URL's secret (`SessionGate`, `GateMiddleware`).
///
/// Every write goes through the workspace's domain (`workspace.domain`, `Workspace.write`), the
/// same calls and rules as the CLI's; the CLI keeps working beside it on the same workspace.
/// Each request opens the workspace afresh, so what another process wrote (the CLI, a sync)
/// is what the next page shows, catalogs included.
public final class Workbench: Sendable {
    public let location: WorkspaceLocation
    public let gate: SessionGate
    /// The port the listener was given (0 picks a free one); the bound one once running.
    let boundPort: Mutex<Int>
    /// The dashboard's progress figures at the log position they were replayed at.
    let progress = ProgressCache()

    public init(location: WorkspaceLocation, gate: SessionGate = SessionGate(), port: Int) {
        self.location = location
        self.gate = gate
        self.boundPort = Mutex(port)
    }

    public var port: Int { boundPort.withLock { $0 } }

    /// The address to open: the page and the secret that starts a session.
    public var startURL: String { "http://127.0.0.1:\(port)/?key=\(gate.secret)" }

    func workspace() throws -> Workspace { try Workspace.open(location) }

    /// The application, ready to run; `onRunning` receives the bound port.
    public func application(logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let router = Router(context: WorkbenchContext.self)
        router.add(middleware: GateMiddleware(gate: gate, port: { [self] in port }))
        Assets.add(to: router)
        for pages in Self.pages { pages.add(to: router, workbench: self) }
        ChangeFeed(workbench: self).add(to: router)
        return Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "fieldbook-workbench"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                self.boundPort.withLock { $0 = port }
                await onRunning(port)
            },
            logger: logger)
    }

    static let pages: [any WorkbenchPages.Type] = [
        DashboardPage.self, FrameworkPage.self, RequirementPage.self, RiskPages.self, FindingPages.self, RequestPages.self, TestPages.self,
        InterviewPages.self, SystemPages.self,
        ApplicabilityPage.self, ConflictsPage.self, SyncPage.self, ReportsPage.self,
    ]
}

/// A group of pages and the forms they post, added to the router together.
protocol WorkbenchPages: SendableMetatype {
    static func add(to router: Router<WorkbenchContext>, workbench: Workbench)
}
