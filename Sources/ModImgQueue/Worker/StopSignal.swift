import Synchronization

/// The first reason a worker was asked to stop, shared by its slots.
final class StopSignal: Sendable {
    private let cause = Mutex<StopCause?>(nil)

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
