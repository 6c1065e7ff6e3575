import FieldbookWire
import Hummingbird

/// Per-request context: the authenticated token, once the auth middleware has found it.
public struct ServerContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The token that authenticated the request; nil on the open routes.
    public var token: TokenRecord?

    /// The IP address of the connection's other end (a client, or a proxy in front of the server).
    public let peerAddress: String?

    public init(source: Source) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Bodies that are decoded (push batches, pull requests) are refused above this size.
    public var maxUploadSize: Int { Wire.maximumBatchBytes }

    /// Handlers' answers are written as the wire's JSON (see `WireResponseEncoder`).
    public var responseEncoder: WireResponseEncoder { WireResponseEncoder() }
}
