import Foundation

/// Where the dashboard listens. Without a host it is loopback (`127.0.0.1`): its only login is
/// a token in a plain-HTTP URL, so anything else must be asked for by name, and is flagged for a warning.
public struct BindAddress: Sendable, Equatable {
    public static let defaultHost = "127.0.0.1"
    public static let defaultPort = 8377

    public let host: String
    public let port: Int

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case emptyHost
        case portOutOfRange(Int)

        public var description: String {
            switch self {
            case .emptyHost: return "--host needs an address, such as 127.0.0.1 or 0.0.0.0."
            case .portOutOfRange(let port): return "--port must be between 0 and 65535 (0 picks a free port), not \(port)."
            }
        }
    }

    /// `host` nil means loopback: the only way to listen elsewhere is to name the host.
    public init(host: String? = nil, port: Int = defaultPort) throws(Problem) {
        if let host, host.trimmingCharacters(in: .whitespaces).isEmpty { throw .emptyHost }
        guard (0...65_535).contains(port) else { throw .portOutOfRange(port) }
        self.host = host ?? Self.defaultHost
        self.port = port
    }

    /// True for `localhost`, `127.0.0.0/8` and `::1`.
    public var isLoopback: Bool { Self.isLoopback(host: host) }

    /// True for `localhost`, `127.0.0.0/8` and `::1` (brackets allowed).
    public static func isLoopback(host: String) -> Bool {
        let name = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if name == "localhost" || name == "::1" || name == "0:0:0:0:0:0:0:1" { return true }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// The warning to print when listening beyond this machine; nil on loopback.
    public var exposureWarning: String? {
        isLoopback
            ? nil
            : "the dashboard at \(host) is served over plain HTTP beyond this machine: anyone who can reach this address and sees the printed URL or the cookie on the network can use it, see the queue, its file names and its errors, and retry or cancel jobs (--read-only refuses changes)."
    }

    public func url(port actual: Int) -> String {
        let shown = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "http://\(shown):\(actual)/"
    }
}
