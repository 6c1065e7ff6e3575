import Hummingbird

/// Per-request context: the session the gate found for the request's cookie.
public struct WorkbenchContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var session: SessionGate.Session?

    public init(source: Source) {
        coreContext = .init(source: source)
    }

    /// Forms are small; evidence uploads are streamed to disk, never collected whole.
    public var maxUploadSize: Int { 1 << 20 }
}
