import Foundation
import NIOCore
import NIOPosix

/// Readable, accurate sentences for a request that got no answer: refused is not reset, and an
/// unknown host is said as such, whatever layer of the HTTP stack reported it.
enum TransportFailure {
    /// The errnos that mean nothing can be reached at the address (the call fails as `.unreachable`).
    static let unreachableErrnos: Set<Int32> = [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH]

    /// What a connection's errno means at `place` (`host:port`), if it is one we name.
    static func describe(errno code: Int32, at place: String) -> String? {
        switch code {
        case ECONNREFUSED: "connection refused by \(place): nothing listens there"
        case EHOSTUNREACH: "\(place) is unreachable (no route to the host)"
        case ENETUNREACH: "\(place) is unreachable (no route to the network)"
        case ECONNRESET: "the connection to \(place) was reset"
        case ETIMEDOUT: "the connection to \(place) timed out"
        default: nil
        }
    }

    /// NIO's failure to connect: a name that does not resolve, or the first connection error.
    static func describe(_ error: NIOConnectionError) -> String {
        if error.dnsAError != nil || error.dnsAAAAError != nil || error.connectionErrors.isEmpty {
            return "the host name \(error.host) does not resolve"
        }
        let place = "\(error.host):\(error.port)"
        if let errno = error.connectionErrors.lazy.compactMap({ ($0.error as? IOError)?.errnoCode }).first {
            return describe(errno: errno, at: place) ?? "\(place): " + String(cString: strerror(errno))
        }
        return "no connection to \(error.host) port \(error.port)"
    }

    /// Any other error without an answer, read from its type or its text.
    static func describe(_ error: any Error, host: String) -> String {
        let text = String(describing: error)
        if let io = error as? IOError { return describe(errno: io.errnoCode, at: host) ?? text }
        if let errno = errnoCode(in: text), let sentence = describe(errno: errno, at: host) { return sentence }
        if text.contains("Connection refused") { return describe(errno: ECONNREFUSED, at: host) ?? text }
        if text.localizedCaseInsensitiveContains("unknown host") || text.contains("NXDOMAIN") || text.contains("nodename nor servname")
            || text.contains("Name or service not known") || text.contains("resolutionFailure")
        {
            return "the host \(host) is unknown (the name does not resolve)"
        }
        return PortalText.sanitized(String(describing: type(of: error)) + ": " + text, limit: 300)
    }

    /// The `errno: N` NIO writes into its connection errors' descriptions.
    private static func errnoCode(in text: String) -> Int32? {
        guard let range = text.range(of: "errno: ") else { return nil }
        return Int32(text[range.upperBound...].prefix { $0.isNumber })
    }
}
