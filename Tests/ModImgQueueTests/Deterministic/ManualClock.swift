import Foundation
import Synchronization

@testable import ModImgQueue

/// Time that moves only when a test moves it. Sleepers wake when the clock reaches their
/// deadline, or at once when their task is cancelled.
final class ManualClock: WorkerClock {
    private struct Sleeper {
        let id: Int
        let until: Double
        let continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var now: Double
        var sleepers: [Sleeper] = []
        var nextID = 0
    }

    private let state: Mutex<State>

    init(now: Double = 1_000_000) {
        state = Mutex(State(now: now))
    }

    func now() -> Double { state.withLock { $0.now } }

    /// The earliest deadline anyone sleeps until, if anyone sleeps.
    var nextDeadline: Double? { state.withLock { $0.sleepers.map(\.until).min() } }

    func sleep(seconds: Double) async {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if Task.isCancelled || seconds <= 0 { return true }
                    state.sleepers.append(Sleeper(id: id, until: state.now + seconds, continuation: continuation))
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            wake { $0.id == id }
        }
    }

    /// Moves time forward by `seconds` (a stall when it is more than a lease) and wakes whoever is due.
    func advance(by seconds: Double) {
        let now = state.withLock { state -> Double in
            state.now += seconds
            return state.now
        }
        wake { $0.until <= now }
    }

    /// Moves time to the earliest deadline, if someone sleeps.
    func advanceToNextDeadline() {
        guard let next = nextDeadline else { return }
        advance(by: max(next - now(), 0))
    }

    private func wake(_ which: (Sleeper) -> Bool) {
        let due = state.withLock { state -> [Sleeper] in
            let due = state.sleepers.filter(which)
            state.sleepers.removeAll(where: which)
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }
}
