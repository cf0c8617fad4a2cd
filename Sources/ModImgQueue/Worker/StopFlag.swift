import Foundation

/// Why a worker stopped before the queue was finished.
public enum StopReason: Sendable, Equatable {
    /// SIGINT/SIGTERM or `Worker.stop()`.
    case requested
    /// The portal refused the key (or there was none); message says what to do.
    case apiKeyRejected(String)
}

/// Set once, read by every slot of a worker.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value: StopReason?

    var reason: StopReason? {
        lock.lock()
        defer { lock.unlock() }
        return value
    }

    var isSet: Bool { reason != nil }

    func set(_ reason: StopReason) {
        lock.lock()
        defer { lock.unlock() }
        if value == nil { value = reason }
    }
}
