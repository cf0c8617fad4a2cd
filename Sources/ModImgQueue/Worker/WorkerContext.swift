import Foundation
import ModPortal
import Synchronization

/// What every slot and every claimed job of one worker share.
struct WorkerContext: Sendable {
    let store: any JobStore
    let portal: any PortalClient
    let budget: any RequestBudget
    let clock: any WorkerClock
    let configuration: WorkerConfiguration
    let stop: StopSignal
    let tally: Tally
    let startedAt: Double
    let random: @Sendable () -> Double
    let checkpoint: @Sendable (WorkerCheckpoint, Job) -> Void
    let emit: @Sendable (WorkerEvent) -> Void

    /// Runs `operation`, waiting out a busy database with backoff on the worker's clock instead
    /// of failing. With `deadline` (a claim's lease end), gives up with `ClaimLost` once it has
    /// passed, since the write would be refused anyway.
    func retryingBusy<T>(until deadline: (() -> Double)? = nil, jobID: Int64 = 0, _ operation: () async throws -> T)
        async throws -> T
    {
        var delay = 0.02
        while true {
            do {
                return try await operation()
            } catch let error as QueueError where error.isBusy {
                if let deadline, clock.now() >= deadline() { throw ClaimLost(jobID: jobID) }
                if delay >= 0.5 { emit(.waiting(reason: .databaseBusy, until: nil)) }
                await clock.sleep(seconds: delay)
                delay = min(delay * 2, 2)
            }
        }
    }

    /// Waits until the shared budget allows one more request and charges it. Throws `Stopping`
    /// if the worker is asked to stop first, or if another worker on this database has seen the
    /// key refused since this one started.
    func charge() async throws {
        if let rejected = try await retryingBusy({ try await store.signal(.apiKeyRejected) }), rejected.at >= startedAt {
            stop.set(.apiKeyRejected(rejected.detail))
        }
        var announced = false
        while !stop.isSet {
            let now = clock.now()
            guard let retryAt = try await retryingBusy({ try await budget.tryAcquire(now: now) }) else { return }
            if !announced && retryAt - now > 1 {
                announced = true
                emit(.waiting(reason: .requestBudget, until: retryAt))
            }
            await clock.sleep(seconds: min(max(retryAt - now, 0.001), 0.5))
        }
        throw Stopping()
    }
}

/// Thrown inside a job's run when the worker is stopping before its next request.
struct Stopping: Error {}

/// Counts of what a worker did, shared by its slots.
final class Tally: Sendable {
    private let value = Mutex(WorkerReport())

    var report: WorkerReport { value.withLock { $0 } }

    func add(done: Int = 0, failed: Int = 0, retries: Int = 0) {
        value.withLock {
            $0.done += done
            $0.failed += failed
            $0.retriesScheduled += retries
        }
    }
}
