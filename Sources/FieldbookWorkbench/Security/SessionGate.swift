import Crypto
import Foundation
import Synchronization

/// Who may use the workbench: whoever holds the secret printed with its URL at start. Opening
/// that URL once starts a session (a cookie the page's scripts cannot read, sent to this origin
/// only); each session carries its own token that every write must echo, so a page on another
/// site cannot make the browser write, even with the cookie.
///
/// A laptop is shared: other accounts on it can reach 127.0.0.1, but not the secret, which is
/// only printed to the terminal that started the workbench.
public final class SessionGate: Sendable {
    /// The secret in the start URL: 32 random bytes, URL-safe base64.
    public let secret: String
    private let sessions = Mutex<[String: Session]>([:])
    /// What the next page a session shows says first: the outcome of the write before it.
    private let notices = Mutex<[String: Notice]>([:])

    /// The outcome of a write, shown once on the page the browser is sent to next.
    public struct Notice: Sendable, Equatable {
        public var text: String
        public var refused: Bool
    }

    public struct Session: Sendable {
        public let id: String
        /// What every form echoes in its hidden `csrf` field.
        public let formToken: String
    }

    public static let cookieName = "fieldbook_session"

    public init(secret: String = SessionGate.randomToken()) {
        self.secret = secret
    }

    /// Whether `presented` is the secret, compared in constant time.
    public func opens(_ presented: String) -> Bool {
        Self.constantTimeEqual(Array(presented.utf8), Array(secret.utf8))
    }

    public func startSession() -> Session {
        let session = Session(id: Self.randomToken(), formToken: Self.randomToken())
        sessions.withLock { $0[session.id] = session }
        return session
    }

    /// The session a cookie names, if it is one this process started.
    public func session(cookie: String?) -> Session? {
        guard let cookie, !cookie.isEmpty else { return nil }
        return sessions.withLock { sessions in
            sessions.first { Self.constantTimeEqual(Array($0.key.utf8), Array(cookie.utf8)) }?.value
        }
    }

    public func leave(_ notice: Notice, for session: Session) {
        notices.withLock { $0[session.id] = notice }
    }

    public func takeNotice(for session: Session) -> Notice? {
        notices.withLock { $0.removeValue(forKey: session.id) }
    }

    public static func randomToken() -> String {
        let key = SymmetricKey(size: .bits256)
        return key.withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
