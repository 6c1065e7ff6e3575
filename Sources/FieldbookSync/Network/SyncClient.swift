import FieldbookModel
import FieldbookReplica
import FieldbookStore
import FieldbookWire
import Foundation

/// One sync with a server: push what it lacks (evidence files and libraries first), then pull what this
/// workspace lacks, page by page, each page applied in one transaction. Every step is
/// idempotent, so a sync cut in the middle and run again finishes the job without sending
/// again what already arrived.
public struct SyncClient {
    public let workspace: Workspace
    public let transport: HTTPTransport
    /// Called with a short line at each step (the CLI shows it on a terminal).
    public let progress: (String) -> Void

    public init(workspace: Workspace, transport: HTTPTransport, progress: @escaping (String) -> Void = { _ in }) {
        self.workspace = workspace
        self.transport = transport
        self.progress = progress
    }

    /// What one sync did: the `sync --json` document (snake_case keys).
    public struct Summary: Encodable, Sendable {
        public var engagement = ""
        public var pushed = 0
        /// Pushed changes the server held already (a resumed sync resends none).
        public var pushedAlreadyOnServer = 0
        public var pulled = 0
        /// Pulled changes this workspace held already (a segment comes whole).
        public var pulledAlreadyHere = 0
        public var evidenceUploaded = 0
        public var evidenceDownloaded = 0
        /// Pinned libraries' bytes sent and received (issue 19), counted apart from evidence.
        public var librariesUploaded = 0
        public var librariesDownloaded = 0
        public var newConflicts = 0
        /// How many changes the server holds after the sync.
        public var serverChanges: UInt64 = 0
        public var bytesSent = 0
        public var bytesReceived = 0
        public var requests = 0

        enum CodingKeys: String, CodingKey {
            case engagement, pushed
            case pushedAlreadyOnServer = "pushed_already_on_server"
            case pulled
            case pulledAlreadyHere = "pulled_already_here"
            case evidenceUploaded = "evidence_uploaded"
            case evidenceDownloaded = "evidence_downloaded"
            case librariesUploaded = "libraries_uploaded"
            case librariesDownloaded = "libraries_downloaded"
            case newConflicts = "new_conflicts"
            case serverChanges = "server_changes"
            case bytesSent = "bytes_sent"
            case bytesReceived = "bytes_received"
            case requests
        }
    }

    var engagementPath: String { "engagements/\(workspace.identity.engagement.rawValue)" }

    /// A sync as a person runs it: a refusal is told as the account of the whole sync
    /// (`PartialPush`: what the server now holds and what stays here), not of the one batch
    /// the server refused.
    public func syncAccounted() async throws -> Summary {
        do {
            return try await sync()
        } catch let refusal as SyncError {
            throw await PartialPush.account(of: refusal, workspace: workspace, transport: transport)
        }
    }

    /// The server's record of this workspace's engagement: a cheap check of the URL, token and engagement.
    public func engagementInfo() async throws -> EngagementInfo {
        let (data, _) = try await transport.send("GET", engagementPath)
        return try JSONDecoder().decode(EngagementInfo.self, from: data)
    }

    /// Runs one sync; a refused push still lets the pull run, and is thrown after it.
    public func sync(now: @escaping () -> UInt64 = { WallClock.now() }) async throws -> Summary {
        var summary = Summary()
        summary.engagement = workspace.identity.engagement.rawValue
        let (vectorData, _) = try await transport.send("GET", "\(engagementPath)/vector")
        let serverVector = try decodeVector(vectorData)
        try pinEngagementKey()

        // A refused push (changes stamped ahead of the server's clock, a colleague's key not
        // bound yet, a reviewer's token) keeps those changes here; the pull still runs, so the
        // assessor goes on receiving colleagues' work, and the refusal is reported at the end,
        // before any failure of the pull itself.
        let (outgoing, heldBack) = Self.readable(try workspace.exchange.changes(missingFrom: serverVector),
                                                 by: transport.serverProtocol ?? .current)
        var (refusal, readOnly) = try await push(outgoing, into: &summary, now: now)
        do {
            try await pull(into: &summary, serverVector: serverVector, now: now)
        } catch {
            if let refusal { throw refusal.followed(by: error) }
            throw error
        }
        // Work relayed here from a key revoked since: the pull brought the revocation, which took
        // that work out of this workspace; what remains goes now rather than at the next sync.
        if case .refused(_, .keyRevoked?)? = refusal {
            let (vectorData, _) = try await transport.send("GET", "\(engagementPath)/vector")
            let (again, _) = Self.readable(try workspace.exchange.changes(missingFrom: try decodeVector(vectorData)),
                                           by: transport.serverProtocol ?? .current)
            (refusal, readOnly) = try await push(again, into: &summary, now: now)
        }
        if readOnly { throw SyncError.readOnly(server: transport.base.absoluteString, pulled: summary.pulled, kept: outgoing.count + heldBack.count) }
        if let refusal { throw refusal }
        if !heldBack.isEmpty, let speaks = transport.serverProtocol {
            throw SyncError.olderServer(server: transport.base.absoluteString, speaks: speaks, needed: heldBack.neededProtocol, kept: heldBack.count)
        }
        let traffic = transport.traffic
        summary.bytesSent = traffic.sent
        summary.bytesReceived = traffic.received
        summary.requests = traffic.requests
        return summary
    }

    /// Pins the engagement's key as the server states it (at the first sync or clone); another
    /// key than the one pinned stops the sync before anything is sent or applied.
    private func pinEngagementKey() throws {
        guard let key = transport.engagementKey else { return }
        if case .differs(_, let pinnedFrom) = try workspace.pinEngagementKey(key, server: transport.base.absoluteString) {
            throw SyncError.engagementKeyChanged(server: transport.base.absoluteString, pinnedFrom: pinnedFrom)
        }
    }

    /// Pushes what the server lacks, evidence files first so no change on the server names a
    /// file it lacks, and returns the first refusal, if any, and whether it came because this
    /// token may only read. This workspace's own changes go first, in batches of their own:
    /// the server binds a key on its owner's first push, so a colleague's unbound key relayed
    /// here cannot hold back (or, both ways round, deadlock) the assessor's own work; and a
    /// refusal of one group does not stop the other.
    private func push(_ outgoing: [Change], into summary: inout Summary, now: () -> UInt64) async throws -> (refusal: SyncError?, readOnly: Bool) {
        // Evidence files and pinned libraries' bytes alike (`EntityKind.objectField`).
        for (sha, kind) in WorkspaceExchange.objectReferences(in: outgoing).sorted(by: { $0.key < $1.key }) where workspace.objects.contains(sha) {
            let (_, status) = try await transport.send("HEAD", "\(engagementPath)/blobs/\(sha)", allowNotFound: true)
            guard status == 404 else { continue }
            do {
                try await transport.upload("\(engagementPath)/blobs/\(sha)", file: workspace.objects.path(for: sha))
            } catch let error as SyncError where error.isRefusalOfChanges {
                // No change may go without its file: they all stay here.
                return (error, tokenMayOnlyRead(error))
            }
            if kind == .library { summary.librariesUploaded += 1 } else { summary.evidenceUploaded += 1 }
        }
        let own = outgoing.filter { $0.dot.site == workspace.identity.site }
        let relayed = outgoing.filter { $0.dot.site != workspace.identity.site }
        let batchSize = Tuning.pushBatchSize
        var sent = 0
        var refusal: SyncError?
        for group in [own, relayed] {
            // Cut at signed changes only, so the server can verify each batch on its own.
            for batch in BatchPlanner.batches(group, limit: batchSize) {
                let data: Data
                do {
                    (data, _) = try await transport.send("POST", "\(engagementPath)/changes", body: ChangeBatch(batch).encoded(),
                                                         contentType: Wire.changesMediaType)
                } catch let error as SyncError where error.isRefusalOfChanges {
                    if refusal == nil, tokenMayOnlyRead(error) { return (error, true) }
                    // Later batches of the group are refused alike (their stamps are later,
                    // their keys the same): the rest of the group waits for the next sync.
                    refusal = refusal ?? explained(error, refused: batch.filter { $0.dot.site == workspace.identity.site }, now: now())
                    break
                }
                let answer = try JSONDecoder().decode(PushResponse.self, from: data)
                summary.pushed += answer.applied
                summary.pushedAlreadyOnServer += answer.duplicates
                sent += batch.count
                progress("pushed \(sent) of \(outgoing.count) changes")
                if let pause = Tuning.pauseBetweenPushes { try await Task.sleep(nanoseconds: pause) }
            }
        }
        return (refusal, false)
    }

    /// The changes a server of protocol `server` can read, and the ones held back: for each
    /// site, from the signed write holding its first change the server's schema would refuse
    /// on. The server takes a site's history only in order, and a change only with the
    /// signature covering it, which the last change of its write carries (`changes` come site
    /// by site, in counter order).
    static func readable(_ changes: [Change], by server: ProtocolVersion) -> (sendable: [Change], heldBack: [Change]) {
        guard server < .current else { return (changes, []) }
        var sendable: [Change] = [], heldBack: [Change] = []
        var write: [Change] = []  // the current site's changes since its last signed one
        var blocked = false
        for (index, change) in changes.enumerated() {
            if index > 0, changes[index - 1].dot.site != change.dot.site {
                sendable += write  // empty once blocked
                write = []
                blocked = false
            }
            guard !blocked else { heldBack.append(change); continue }
            write.append(change)
            if change.neededProtocol > server {
                heldBack += write
                write = []
                blocked = true
            } else if !change.signature.isEmpty {
                sendable += write
                write = []
            }
        }
        return (sendable + write, heldBack)
    }

    /// Whether a refused write came because this token may only read (a reviewer's): the
    /// server's code says so (`read_only_token`).
    private func tokenMayOnlyRead(_ refusal: SyncError) -> Bool {
        guard case .refused(_, let code) = refusal else { return false }
        return code == .readOnlyToken
    }

    /// Pulls page by page (each page one local transaction), then the evidence files the
    /// records name, and records what the server holds.
    private func pull(into summary: inout Summary, serverVector: VersionVector, now: () -> UInt64) async throws {
        var after: Int64 = 0
        var finalVector = serverVector
        // Read once, then kept up to date with each applied page rather than re-read.
        var held = try workspace.versionVector()
        while true {
            let request = PullRequest(vector: held, after: after)
            let (data, _) = try await transport.send("POST", "\(engagementPath)/pull", body: try Wire.jsonEncoder.encode(request),
                                                     contentType: "application/json")
            let (page, changes, hashes) = try PullPage.read(data)
            if !changes.isEmpty {
                let report = try workspace.apply(remote: changes, hashes: hashes, now: now())
                for change in changes { held.insert(change.dot) }
                summary.pulled += report.applied
                summary.pulledAlreadyHere += report.duplicates
                summary.newConflicts += report.newConflicts
                progress("pulled \(summary.pulled) changes")
            }
            if let vector = page.meta.vector { finalVector = vector }
            guard let next = page.meta.next else { break }
            after = next
        }
        (summary.evidenceDownloaded, summary.librariesDownloaded) = try await fetchMissingObjects()
        summary.serverChanges = finalVector.count
        try workspace.exchange.recordPeer(site: "server:\(transport.base.absoluteString)", assessor: "server", vector: finalVector)
    }

    /// A refusal of this workspace's own changes for their stamps says what the assessor can
    /// do: the server's message cannot know that this machine's clock was ahead when the
    /// changes were made (and may be right now), nor when they will be accepted.
    func explained(_ error: SyncError, refused own: [Change], now: UInt64) -> SyncError {
        guard case .rejected(_, code: .changesAhead) = error,
              let newest = own.map(\.hlc.wallMilliseconds).max(), newest > now + HybridLogicalClock.defaultMaximumSkew
        else { return error }
        let ahead = ClockSkewError.duration(newest - now)
        let accepted = Timestamps.rfc3339(milliseconds: newest - HybridLogicalClock.defaultMaximumSkew)
        return .rejected("this workspace holds changes stamped up to \(ahead) ahead of this machine's clock, made while its clock was ahead; they are kept here and the server will take them from about \(accepted) if its clock is right (check this machine's clock meanwhile); colleagues' work was still received", code: .changesAhead)
    }

    /// Downloads every object (evidence file, pinned library) some entity names and this
    /// workspace lacks (also the ones an interrupted sync left behind), verifying each hash
    /// before keeping it. Returns how many evidence files and libraries came.
    func fetchMissingObjects() async throws -> (evidence: Int, libraries: Int) {
        var fetched = (evidence: 0, libraries: 0)
        for (sha, kind) in try workspace.exchange.missingObjects().sorted(by: { $0.key < $1.key }) {
            let (_, status) = try await transport.send("HEAD", "\(engagementPath)/blobs/\(sha)", allowNotFound: true)
            guard status != 404 else { continue }
            let file = try await transport.download("\(engagementPath)/blobs/\(sha)")
            defer { try? FileManager.default.removeItem(at: file) }
            // Checked before it is kept: bytes that hash to another file this workspace holds
            // must not replace or remove it.
            guard try workspace.objects.add(contentsOf: file, expected: sha).sha256 == sha else { throw SyncError.damagedBlob(sha) }
            if kind == .library { fetched.libraries += 1 } else { fetched.evidence += 1 }
        }
        return fetched
    }

    /// Knobs for fault-injection tests, read from a debug build's environment: `FIELDBOOK_SYNC_BATCH`
    /// (changes per push, at most 5,000) and `FIELDBOOK_SYNC_PAUSE_MS` (a pause after each
    /// push, so a test can cut a sync between two pushes).
    enum Tuning {
        static var pushBatchSize: Int {
            let requested = DebugEnvironment.value("FIELDBOOK_SYNC_BATCH").flatMap(Int.init) ?? Wire.maximumBatchChanges
            return max(1, min(requested, Wire.maximumBatchChanges))
        }

        static var pauseBetweenPushes: UInt64? {
            DebugEnvironment.value("FIELDBOOK_SYNC_PAUSE_MS").flatMap(UInt64.init).map { $0 * 1_000_000 }
        }
    }

    private func decodeVector(_ data: Data) throws -> VersionVector {
        do {
            return try JSONDecoder().decode(VersionVector.self, from: data)
        } catch {
            throw SyncError.serverFailure("the server's version vector does not parse")
        }
    }
}
