import Synchronization

/// The first reason a worker was asked to stop, shared by its slots, and when it last read the
/// database's signals that may stop it.
final class StopSignal: Sendable {
    private let cause = Mutex<StopCause?>(nil)
    private let signalsReadAt = Mutex<Double>(-.infinity)

    /// Whether the signals are due to be read again at `now` (and if so, notes that they are read).
    func signalsDue(now: Double, interval: Double) -> Bool {
        signalsReadAt.withLock { last in
            guard now - last >= interval else { return false }
            last = now
            return true
        }
    }

    var current: StopCause? { cause.withLock { $0 } }
    var isSet: Bool { current != nil }

    /// Records `newCause` unless a cause was recorded before; returns whether it was the first.
    @discardableResult
    func set(_ newCause: StopCause) -> Bool {
        cause.withLock { value in
            guard value == nil else { return false }
            value = newCause
            return true
        }
    }
}
