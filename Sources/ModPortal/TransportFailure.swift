import Foundation
import NIOCore

/// A readable, accurate sentence for a request that got no answer: refused is not reset, and
/// an unknown host is said as such, whatever layer of the HTTP stack reported it.
enum TransportFailure {
    static func describe(_ error: any Error, host: String) -> String {
        let text = String(describing: error)
        if let io = error as? IOError { return describe(errno: io.errnoCode, host: host) ?? text }
        if let errno = errnoCode(in: text), let sentence = describe(errno: errno, host: host) { return sentence }
        if text.contains("Connection refused") { return refused(host) }
        if text.localizedCaseInsensitiveContains("unknown host") || text.contains("NXDOMAIN") || text.contains("nodename nor servname")
            || text.contains("Name or service not known") || text.contains("resolutionFailure")
        {
            return "the host \(host) is unknown (the name does not resolve)"
        }
        return PortalText.sanitized(String(describing: type(of: error)) + ": " + text, limit: 300)
    }

    private static func describe(errno code: Int32, host: String) -> String? {
        switch code {
        case ECONNREFUSED: refused(host)
        case ECONNRESET: "the connection to \(host) was reset"
        case EHOSTUNREACH, ENETUNREACH: "\(host) cannot be reached from here (no route)"
        case ETIMEDOUT: "the connection to \(host) timed out"
        default: nil
        }
    }

    private static func refused(_ host: String) -> String {
        "connection refused by \(host): nothing listens there"
    }

    /// The `errno: N` NIO writes into its connection errors' descriptions.
    private static func errnoCode(in text: String) -> Int32? {
        guard let range = text.range(of: "errno: ") else { return nil }
        return Int32(text[range.upperBound...].prefix { $0.isNumber })
    }
}
