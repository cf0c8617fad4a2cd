import Foundation
import ModPortal
import Synchronization

/// One claimed job's run in one slot: the claim, kept up to date by its writes and its
/// heartbeat; the check before each request; and every write about the job, each of which
/// names the claim. When the claim is refused, the run ends and nothing more is sent for it.
final class ClaimSession: Sendable {
    let context: WorkerContext
    private let state: Mutex<Claim>
    private let lossReported = Mutex(false)

    init(claim: Claim, context: WorkerContext) {
        self.context = context
        self.state = Mutex(claim)
    }

    var claim: Claim { state.withLock { $0 } }
    var job: Job { claim.job }

    /// Tells once that the claim is gone: when the heartbeat finds out, not only when the
    /// request in flight comes back.
    func reportLost() {
        let first = lossReported.withLock { reported in
            defer { reported = true }
            return !reported
        }
        if first { context.emit(.claimLost(job: job.id, mod: job.mod)) }
    }

    /// Before each request for the job: waits until the shared budget allows one more, charging
    /// it and confirming and extending the claim in one short transaction. Sends nothing (throws
    /// `ClaimLost`) if the claim is gone, nor (throws `Stopping`) if the worker is stopping or
    /// another worker on this database has seen the key refused since this one started.
    func beforeRequest(_ call: PortalCall) async throws {
        let current = claim
        try await context.heedSignals()
        var announced = false
        while !context.stop.isSet {
            let now = context.clock.now()
            let decision = try await context.retryingBusy(until: { self.claim.expiresAt }, jobID: current.job.id) {
                try await context.budget.acquire(
                    for: current, sending: call, now: now, leaseSeconds: context.configuration.leaseSeconds)
            }
            switch decision {
            case .granted(let leaseEndsAt):
                state.withLock { $0.expiresAt = max($0.expiresAt, leaseEndsAt) }
                context.emit(.requestSent(job: current.job.id, mod: current.job.mod, call: call))
                return
            case .claimLost:
                throw ClaimLost(jobID: current.job.id)
            case .wait(let until):
                if !announced && until - now > 1 {
                    announced = true
                    context.emit(.waiting(reason: .requestBudget, until: until))
                }
                await context.clock.sleep(seconds: min(max(until - now, 0.001), 0.5))
            }
        }
        throw Stopping()
    }

    /// A write about the job through its claim, waiting out a busy database while the lease lasts.
    func write<T>(_ operation: (Claim) async throws -> T) async throws -> T {
        let current = claim
        if Task.isCancelled { throw ClaimLost(jobID: current.job.id) }
        let result = try await context.retryingBusy(until: { self.claim.expiresAt }, jobID: current.job.id) {
            try await operation(current)
        }
        // The job moved on or its claim ended: another may be claimable now.
        context.doorbell.ring()
        return result
    }

    /// A write that moves the job on (e.g. `queued` → `added`): later writes expect the new state.
    func advance(_ operation: (Claim) async throws -> Claim) async throws {
        let changed = try await write(operation)
        state.withLock {
            $0.job = changed.job
            $0.expiresAt = max($0.expiresAt, changed.expiresAt)
        }
    }

    /// Renews the lease every third of it, on the worker's clock. Returns when cancelled; throws
    /// `ClaimLost` when a renewal is refused, or fails until the lease has run out.
    func heartbeat() async throws {
        let lease = context.configuration.leaseSeconds
        while !Task.isCancelled {
            await context.clock.sleep(seconds: lease / 3)
            if Task.isCancelled { return }
            let current = claim
            do {
                guard
                    let confirmed = try await context.retryingBusy(
                        until: { self.claim.expiresAt }, jobID: current.job.id,
                        { try await context.store.confirm(current, now: context.clock.now(), leaseSeconds: lease) })
                else { throw ClaimLost(jobID: current.job.id) }
                state.withLock { $0.expiresAt = max($0.expiresAt, confirmed.expiresAt) }
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
                reportLost()
                throw ClaimLost(jobID: current.job.id)
            }
        }
    }

    func fail(_ failure: JobFailure) async throws {
        try await write { try await context.store.fail($0, failure: failure, now: context.clock.now()) }
        context.tally.add(failed: 1)
        context.emit(.failed(job: job.id, mod: job.mod, failure: failure, next: .advice(for: failure, of: FailedJob(job))))
    }

    /// Applies the decision about a failed call.
    func handle(_ error: PortalError, during call: PortalCall) async throws {
        let now = context.clock.now()
        let decision = FailureDecision.decide(
            error, during: call, attempts: job.attempts, now: now, policy: context.configuration.retryPolicy,
            unitRandom: context.random())
        switch decision {
        case .stop(let cause):
            if case .apiKeyRejected(let detail) = cause {
                try await context.retryingBusy { try await context.store.raiseSignal(.apiKeyRejected, detail: detail, now: now) }
            }
            if context.stop.set(cause) { context.emit(.stopping(cause)) }
            throw Stopping()
        case .fail(let failure):
            try await fail(failure)
        case .failMod(let failure):
            try await fail(failure)
            let others = try await context.retryingBusy {
                try await context.store.failOtherOpenJobs(
                    of: claim,
                    failure: JobFailure(failure.code, "not tried: job \(job.id) of this mod got \(failure.description)"),
                    now: now)
            }
            if !others.isEmpty {
                context.tally.add(failed: others.count)
                context.emit(
                    .modFailed(mod: job.mod, jobs: others, failure: failure, next: .advice(for: failure, of: FailedJob(job))))
            }
        case .retry(let at, let failure, let pauseUntil):
            if let pauseUntil {
                let paused = try await context.retryingBusy { try await context.budget.pause(until: pauseUntil, now: now) }
                context.emit(.portalPaused(until: paused))
            }
            try await write { try await context.store.scheduleRetry($0, retryAt: at, failure: failure, now: now) }
            context.tally.add(retries: 1)
            context.emit(.retryScheduled(job: job.id, mod: job.mod, failure: failure, at: at))
        }
    }
}
