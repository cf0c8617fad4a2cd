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
    /// Wakes a slot waiting for work when this worker changed a job.
    let doorbell = Doorbell()
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
}

extension WorkerContext {
    /// The portal took this worker's key (an `add` or `edit` succeeded): a refusal recorded
    /// before this worker started no longer stands, so `status` stops reporting it.
    func keyAccepted() async throws {
        guard stop.noteKeyAccepted() else { return }
        try await retryingBusy { try await store.clearSignal(.apiKeyRejected, raisedBefore: startedAt) }
    }

    /// Stops the worker if another worker on this database has seen the key refused since this
    /// one started. Read at most every `signalInterval` seconds, so a busy worker does not pay
    /// a database round trip per request for a fact that changes once.
    func heedSignals() async throws {
        let now = clock.now()
        guard stop.signalsDue(now: now, interval: configuration.signalInterval) else { return }
        if let rejected = try await retryingBusy({ try await store.signal(.apiKeyRejected) }), rejected.at >= startedAt {
            if stop.set(.apiKeyRejected(rejected.detail)) { emit(.stopping(.apiKeyRejected(rejected.detail))) }
        }
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
