import Foundation
import Synchronization
import Testing

@testable import ModImgQueue

/// A worker driven deterministically: a real SQLite queue, a scripted portal and a manual
/// clock. While `autoAdvance` is on, a driver moves the clock to the next deadline whenever
/// nothing is in flight in the store or the budget, i.e. whenever the worker only waits on time.
final class Scenario: Sendable {
    let q: QueueFixture
    let clock: ManualClock
    let portal = ScriptedPortal()
    let store: InstrumentedStore
    let budget: InstrumentedBudget
    let startedAt: Double
    private let advancing = Mutex(true)
    private let recorded = Mutex<[WorkerEvent]>([])

    init(busyCount: Int = 0, rate: Rate = Rate(count: 100, period: 1)) throws {
        q = try QueueFixture()
        clock = ManualClock()
        startedAt = clock.now()
        store = InstrumentedStore(q.store, busyCount: busyCount)
        budget = InstrumentedBudget(SQLiteRequestBudget(database: q.database, limit: CellRateLimit(rate: rate)))
    }

    var autoAdvance: Bool {
        get { advancing.withLock { $0 } }
        set { advancing.withLock { $0 = newValue } }
    }

    var events: [WorkerEvent] { recorded.withLock { $0 } }

    /// `poll`: how often an idle slot looks for work; long when a test waits out long backoffs.
    func configuration(concurrency: Int = 1, lease: Double = 30, poll: Double = 0.25) -> WorkerConfiguration {
        var configuration = WorkerConfiguration()
        configuration.concurrency = concurrency
        configuration.leaseSeconds = lease
        configuration.pollInterval = poll
        configuration.retryPolicy = RetryPolicy(baseDelay: 1, maxDelay: 8, maxAttempts: 5)
        return configuration
    }

    func worker(_ configuration: WorkerConfiguration) -> Worker {
        Worker(
            store: store, portal: portal, budget: budget, clock: clock, configuration: configuration, random: { 0.5 })
    }

    /// Starts the worker; the returned task ends with its report.
    func start(_ worker: Worker) -> Task<WorkerReport, Never> {
        let finished = Finished()
        let run = Task {
            let report = await worker.run()
            finished.set()
            return report
        }
        Task { [self] in
            for await event in worker.events { recorded.withLock { $0.append(event) } }
        }
        Task { [self, finished] in
            var quietChecks = 0
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(1))
                if finished.isSet { return }
                let quiet = store.inFlight == 0 && budget.inFlight == 0 && autoAdvance && clock.nextDeadline != nil
                quietChecks = quiet ? quietChecks + 1 : 0
                // Several checks in a row: a slot's work off the store and budget (its file's hash,
                // on another executor) is invisible here, and takes a moment on a loaded machine.
                if quietChecks >= 5 {
                    clock.advanceToNextDeadline()
                    quietChecks = 0
                }
            }
        }
        return run
    }

    /// Runs a second worker on the same scenario to its end (the first one's events stay recorded).
    static func run(_ scenario: Scenario, _ configuration: WorkerConfiguration) async -> WorkerReport {
        await scenario.start(scenario.worker(configuration)).value
    }

    /// Queues one upload to mod `m` and starts a worker whose `add` for it is then held in
    /// flight until `portal.releaseAdd()`.
    func startWithTheAddHeld(_ configuration: WorkerConfiguration) async throws -> (Int64, Worker, Task<WorkerReport, Never>) {
        let job = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: try q.pngs(1...1)).queued[0]
        portal.holdNextAdd()
        let worker = worker(configuration)
        let run = start(worker)
        await waitUntil("the add is in flight") { portal.addIsHeld }
        return (job, worker, run)
    }

    /// Waits (in real time, generously) until `condition` holds; records an issue if it never does.
    func waitUntil(
        _ what: String, sourceLocation: SourceLocation = #_sourceLocation, _ condition: () async throws -> Bool
    ) async rethrows {
        for _ in 0..<20_000 {
            if try await condition() { return }
            try? await Task.sleep(for: .milliseconds(1))
        }
        Issue.record("never happened: \(what)", sourceLocation: sourceLocation)
    }

    /// The job's log as `from->to` pairs.
    func transitions(_ job: Int64) async throws -> [String] {
        try await QueueQueries(database: q.database).events(jobID: job).map { "\($0.fromState ?? "")->\($0.toState)" }
    }
}

/// Set once when a worker's run has ended.
private final class Finished: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}
