import Synchronization

/// Wakes a slot waiting for work as soon as another slot of this worker changed a job in a way
/// that may let one be claimed (an `add` stored, which lets the mod's next upload make its own
/// ahead; a job done, failed, rescheduled or given back; a job claimed, when more may be
/// waiting), instead of leaving it asleep until its next poll, which at 50 ms is the length of
/// a whole request. One slot per ring, the one waiting longest; a slot that then claims a job
/// rings again, so idle slots are woken one by one while there is work, without a herd of
/// empty claims. A slot takes a ticket before it looks for work and waits with it, so a ring
/// between its look and its wait is not lost: the wait then returns at once.
final class Doorbell: Sendable {
    private struct State {
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
        var rings: UInt64 = 0
    }

    private let state = Mutex(State())

    /// How many wait for a ring now.
    var waiting: Int { state.withLock { $0.waiters.count } }

    /// Taken before looking for work; `wait` returns at once if the bell rang since.
    func ticket() -> UInt64 { state.withLock { $0.rings } }

    func ring() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.rings &+= 1
            guard let first = state.waiters.keys.min() else { return nil }
            return state.waiters.removeValue(forKey: first)
        }
        waiter?.resume()
    }

    /// Returns at the first ring after `ticket` was taken, or after `seconds` on `clock`, or
    /// when cancelled.
    func wait(upTo seconds: Double, on clock: any WorkerClock, since ticket: UInt64) async {
        let id = state.withLock { state -> Int? in
            guard state.rings == ticket else { return nil }
            state.nextWaiter += 1
            return state.nextWaiter
        }
        guard let id else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await clock.sleep(seconds: seconds) }
            group.addTask { await self.waitForRing(id, since: ticket) }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForRing(_ id: Int, since ticket: UInt64) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let cancelled = state.withLock { state -> Bool in
                    if Task.isCancelled || state.rings != ticket { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if cancelled { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}
