import Foundation

/// Who holds a claim: host, process id and the process's start time, so that a worker on the
/// same host can tell a claim of a dead process (pid gone, or reused by a process that started
/// at another time) from a claim of a live one.
public struct ClaimHolder: Sendable, Hashable, CustomStringConvertible {
    public let host: String
    public let pid: Int32
    /// The process's start time as the kernel counts it (clock ticks since boot), if known.
    public let processStart: Int64?

    public init(host: String, pid: Int32, processStart: Int64?) {
        self.host = host
        self.pid = pid
        self.processStart = processStart
    }

    /// This process.
    public static let current = ClaimHolder(
        host: ProcessInfo.processInfo.hostName, pid: getpid(), processStart: ProcessTable.startTime(of: getpid()))

    public var description: String { "\(host) pid \(pid)" }
}

/// Whether a process on this host is still the one that made a claim.
public protocol ProcessProbe: Sendable {
    func isRunning(pid: Int32, startedAt: Int64?) -> Bool
}

/// The real process table (`kill(pid, 0)`, and `/proc/<pid>/stat` for the start time on Linux).
public struct ProcessTable: ProcessProbe {
    public init() {}

    public func isRunning(pid: Int32, startedAt: Int64?) -> Bool {
        guard pid > 0 else { return false }
        if kill(pid, 0) != 0 && errno == ESRCH { return false }
        guard let startedAt, let current = Self.startTime(of: pid) else { return true }
        return current == startedAt
    }

    /// Field 22 of `/proc/<pid>/stat`: when the process started, in clock ticks after boot.
    static func startTime(of pid: Int32) -> Int64? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After ')' come field 3 (state) onwards, so field 22 is at offset 19.
        guard fields.count > 19 else { return nil }
        return Int64(fields[19])
    }
}
