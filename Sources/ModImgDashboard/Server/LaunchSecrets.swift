import Crypto
import Foundation

/// The secrets of one `serve` launch, never stored: the token in the URL `serve` prints, the
/// session cookie that first visit with it is given, and the key the CSRF token of that
/// session is made with. Other local users can reach a loopback port too; without these they
/// get 401 (no cookie) or 403 (no CSRF token).
public struct LaunchSecrets: Sendable {
    /// In the printed URL (`?token=`); exchanged once per browser for the cookie.
    public let token: String
    /// The session cookie's value.
    let session: String
    /// The key of the session's CSRF token, 32 random bytes.
    private let csrfKey: [UInt8]

    /// Fresh random secrets: 32 bytes each from the system's generator.
    public static func random() -> LaunchSecrets {
        LaunchSecrets(token: hex(randomBytes()), session: hex(randomBytes()), csrfKey: randomBytes())
    }

    private init(token: String, session: String, csrfKey: [UInt8]) {
        self.token = token
        self.session = session
        self.csrfKey = csrfKey
    }

    /// The CSRF token of the session: HMAC-SHA256 of the cookie with the launch's key, as hex.
    /// Each form carries it as the hidden field `csrf`.
    public var csrfToken: String {
        Self.hex(HMAC<SHA256>.authenticationCode(for: Data(session.utf8), using: SymmetricKey(data: csrfKey)))
    }

    /// The session cookie's name: one per port, so two dashboards on one host keep their own.
    static func cookieName(authority: String?) -> String {
        guard let authority, let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") else { return "modimg_session" }
        let port = authority[authority.index(after: colon)...]
        return port.utf8.allSatisfy({ (48...57).contains($0) }) && !port.isEmpty ? "modimg_session_\(port)" : "modimg_session"
    }

    /// Compares in time that depends only on the lengths, never on where the first difference is.
    static func same(_ given: String?, _ secret: String) -> Bool {
        guard let given else { return false }
        let (a, b) = (Array(given.utf8), Array(secret.utf8))
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    private static func randomBytes() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    private static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
