import Foundation
import ModPortal
import Synchronization

/// Runs slots that claim runnable jobs and hand each to the runner of its kind, one request at
/// a time per slot, every request charged to the shared budget and preceded by a check of the
/// claim. It knows the store, the portal, the budget and the clock only through their
/// protocols, and tells what it does through `events`.
public final class Worker: Sendable {
    private let context: WorkerContext
    /// Every step the worker takes, as it takes it; finishes after `.finished`.
    public let events: AsyncStream<WorkerEvent>
    private let continuation: AsyncStream<WorkerEvent>.Continuation
    private let lastDeadHolderScan = Mutex<Double>(-.infinity)
    /// Jobs this worker's slots are running now.
    private let running = Mutex(0)
    /// Whether `.idle` was sent since the queue last had open jobs.
    private let idleAnnounced = Atomic(false)

    public init(
        store: any JobStore, portal: any PortalClient, budget: any RequestBudget, clock: any WorkerClock,
        configuration: WorkerConfiguration,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        checkpoint: @escaping @Sendable (WorkerCheckpoint, Job) -> Void = { _, _ in }
    ) {
        let (events, continuation) = AsyncStream<WorkerEvent>.makeStream(bufferingPolicy: .unbounded)
        self.events = events
        self.continuation = continuation
        self.context = WorkerContext(
            store: store, portal: OffDatabasePortal(base: portal), budget: budget, clock: clock, configuration: configuration,
            stop: StopSignal(),
            tally: Tally(), startedAt: clock.now(), random: random, checkpoint: checkpoint,
            emit: { continuation.yield($0) })
    }

    /// Asks the worker to finish its requests in flight (abandoning those still running after
    /// `stopGraceSeconds`), release its claims and return.
    public func stop() {
        if context.stop.set(.requested) { context.emit(.stopping(.requested)) }
    }

    /// Runs until the queue is finished (or forever with `follow`), or until stopped.
    public func run() async -> WorkerReport {
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<max(1, context.configuration.concurrency) {
                group.addTask(executorPreference: context.configuration.executor) { await self.runSlot() }
            }
            await group.waitForAll()
        }
        var report = context.tally.report
        report.stopCause = context.stop.current
        context.emit(.finished(report))
        continuation.finish()
        return report
    }

    private func runSlot() async {
        var lastWait: Double?
        while !context.stop.isSet {
            let now = context.clock.now()
            let ticket = context.doorbell.ticket()
            do {
                if let claim = try await context.retryingBusy({
                    try await context.store.claim(
                        by: context.configuration.holder, now: now, leaseSeconds: context.configuration.leaseSeconds)
                }) {
                    lastWait = nil
                    idleAnnounced.store(false, ordering: .relaxed)
                    context.doorbell.ring()
                    await process(claim)
                    continue
                }
                if try await releaseDeadHolders(now: now) { continue }
                let open = try await context.retryingBusy { try await context.store.openWork(now: now) }
                if open.openJobs == 0 && !context.configuration.follow { return }
                if open.openJobs == 0, running.withLock({ $0 }) == 0, !idleAnnounced.exchange(true, ordering: .relaxed) {
                    context.emit(.idle)
                }
                if let next = open.nextRunnableAt, next - now > 1, next != lastWait, running.withLock({ $0 }) == 0 {
                    lastWait = next
                    context.emit(.waiting(reason: .nothingRunnable, until: next))
                }
                let wakeAt = min(open.nextRunnableAt ?? .infinity, now + context.configuration.pollInterval)
                await context.doorbell.wait(upTo: max(wakeAt - now, 0.001), on: context.clock, since: ticket)
            } catch {
                stopForDatabase(error)
                return
            }
        }
    }

    /// Frees, at most every `deadHolderScanInterval`, the claims of processes on this host that
    /// are gone. Returns whether any was freed.
    private func releaseDeadHolders(now: Double) async throws -> Bool {
        let due = lastDeadHolderScan.withLock { last in
            guard now - last >= context.configuration.deadHolderScanInterval else { return false }
            last = now
            return true
        }
        guard due else { return false }
        let freed = try await context.retryingBusy {
            try await context.store.releaseClaimsOfDeadProcesses(
                on: context.configuration.holder.host, probe: context.configuration.processProbe, now: now)
        }
        if !freed.isEmpty { context.emit(.deadClaimsReleased(jobs: freed)) }
        return !freed.isEmpty
    }

    /// Runs one claimed job beside its heartbeat and a watch for a stop (which abandons the job's
    /// request in flight once the stop's grace is over); whichever ends first ends the others.
    private func process(_ claim: Claim) async {
        running.withLock { $0 += 1 }
        defer { running.withLock { $0 -= 1 } }
        let session = ClaimSession(claim: claim, context: context)
        let job = claim.job
        let file: String? = if case .upload(let upload) = job.work { upload.path } else { nil }
        context.emit(.claimed(job: job.id, mod: job.mod, kind: job.kind, file: file))
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    switch job.work {
                    case .upload(let upload): try await UploadRunner(session: session).run(upload)
                    case .reorder(let reorder): try await ReorderRunner(session: session).run(reorder)
                    }
                }
                group.addTask { try await session.heartbeat() }
                group.addTask { [context] in
                    await context.stop.waitUntilSet()
                    await context.clock.sleep(seconds: context.configuration.stopGraceSeconds)
                    if !Task.isCancelled { throw Stopping() }
                }
                try await group.next()
                group.cancelAll()
            }
        } catch is Stopping {
            do {
                try await session.write {
                    try await context.store.release($0, reason: Self.releaseReason(context.stop.current), now: context.clock.now())
                }
                context.emit(.released(job: job.id, mod: job.mod))
            } catch {
                session.reportLost()
            }
        } catch is ClaimLost {
            session.reportLost()
        } catch {
            stopForDatabase(error)
        }
    }

    /// What a released job's log says about why the worker stopped.
    static func releaseReason(_ cause: StopCause?) -> String {
        switch cause {
        case .apiKeyRejected(let detail):
            "worker stopped: the portal refused the API key (\(detail)); job left as it was"
        case .missingApiKey: "worker stopped: no API key; job left as it was"
        case .databaseFailed: "worker stopped: the database failed; job left as it was"
        case .requested, .none: "worker stopped; job left as it was"
        }
    }

    /// A store failure that waiting does not cure (busy locks are waited out before this).
    private func stopForDatabase(_ error: any Error) {
        let cause = StopCause.databaseFailed(String(describing: error))
        if context.stop.set(cause) { context.emit(.stopping(cause)) }
    }
}
