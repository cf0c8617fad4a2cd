import Synchronization

/// The first reason a worker was asked to stop, shared by its slots, and when it last read the
/// database's signals that may stop it.
final class StopSignal: Sendable {
    private let state = Mutex(State())
    private let signalsReadAt = Mutex<Double>(-.infinity)
    private let keyAccepted = Mutex(false)

    /// Notes that the portal took the key; true the first time only.
    func noteKeyAccepted() -> Bool {
        keyAccepted.withLock { accepted in
            defer { accepted = true }
            return !accepted
        }
    }

    private struct State: ~Copyable {
        var cause: StopCause?
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
    }

    /// Whether the signals are due to be read again at `now` (and if so, notes that they are read).
    func signalsDue(now: Double, interval: Double) -> Bool {
        signalsReadAt.withLock { last in
            guard now - last >= interval else { return false }
            last = now
            return true
        }
    }

    var current: StopCause? { state.withLock { $0.cause } }
    var isSet: Bool { current != nil }

    /// Records `newCause` unless a cause was recorded before; returns whether it was the first.
    /// The first wakes every `waitUntilSet()`.
    @discardableResult
    func set(_ newCause: StopCause) -> Bool {
        let woken: [CheckedContinuation<Void, Never>]? = state.withLock { state in
            guard state.cause == nil else { return nil }
            state.cause = newCause
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        woken?.forEach { $0.resume() }
        return woken != nil
    }

    /// Returns once a cause is recorded, or when the task is cancelled.
    func waitUntilSet() async {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state in
                    if state.cause != nil || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
