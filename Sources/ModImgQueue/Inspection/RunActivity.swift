import Foundation
import SQLiteStore

/// The queue's activity over the last hours, read back from `job_events` (every state change
/// with its time): jobs finished per minute, and the current run folded by `RunProgress` as
/// `work` folds its own; and requests per minute, as the request budget counted them
/// (`request_minutes`). Each read is bounded by the time window, through the `job_events_at`
/// index and the minutes' key, and aggregated in SQL: its cost does not grow with the queue.
public struct RunActivity: Sendable, Equatable {
    /// How far back the minutes go.
    public static let window: Double = 3 * 3600
    /// A pause in the log at least this long ends a run: activity after it is a new one.
    public static let idleGap: Double = 10 * 60

    /// One minute with something finished or sent in it.
    public struct Minute: Sendable, Equatable {
        /// The minute's first second (a multiple of 60).
        public let start: Double
        public var done = 0
        public var failed = 0
        public var cancelled = 0
        /// Requests charged to the budget (sent, or about to be) in the minute.
        public var requests = 0
    }

    /// The current run: the jobs finished since the log last paused for `idleGap` (within
    /// the window), and the jobs still open.
    public struct Run: Sendable, Equatable {
        /// The run's first event (the window's start if it goes back further).
        public let startedAt: Double
        public let lastEventAt: Double
        /// The fold of the run: its done and failed jobs, the latest finishes measuring its pace.
        public let progress: RunProgress
        /// Jobs cancelled during the run: left out of its total.
        public let cancelled: Int
        /// nil once nothing is left.
        public let eta: RunETA?
    }

    public let since: Double
    public let until: Double
    /// Minutes with a job finished or a request sent, oldest first.
    public let minutes: [Minute]
    /// nil when nothing happened in the last `idleGap`.
    public let run: Run?
}

extension QueueQueries {
    /// The activity of the `RunActivity.window` before `now`, `open` jobs (queued or added, of
    /// which `queued` still need their `add`) left, the portal's pause as `status` reads it.
    public func activity(now: Double, open: Int, queued: Int, portalPausedUntil: Double?) async throws -> RunActivity {
        let since = now - RunActivity.window
        return try await database.read { db in
            var minutes: [RunActivity.Minute] = []
            for row in try db.rows(RunActivitySQL.minutes, [since, now]) {
                guard let minute = row.double("minute") else { continue }
                var entry = RunActivity.Minute(start: minute * 60)
                entry.done = row.int("done") ?? 0
                entry.failed = row.int("failed") ?? 0
                entry.cancelled = row.int("cancelled") ?? 0
                minutes.append(entry)
            }
            for row in try db.rows(RunActivitySQL.requests, [Int64((since / 60).rounded(.down)), Int64((now / 60).rounded(.down))]) {
                guard let minute = row.double("minute") else { continue }
                if let index = minutes.firstIndex(where: { $0.start == minute * 60 }) {
                    minutes[index].requests = row.int("requests") ?? 0
                } else {
                    var entry = RunActivity.Minute(start: minute * 60)
                    entry.requests = row.int("requests") ?? 0
                    minutes.append(entry)
                }
            }
            minutes.sort { $0.start < $1.start }
            let lastEvent = try db.row(RunActivitySQL.lastEvent, [since, now])?.double("at")
            guard let lastEvent, now - lastEvent < RunActivity.idleGap else {
                return RunActivity(since: since, until: now, minutes: minutes, run: nil)
            }
            let startedAt = try Self.runStart(db, since: since, before: lastEvent)
            let run = try Self.run(
                db, startedAt: startedAt, lastEvent: lastEvent, now: now, open: open, queued: queued,
                portalPausedUntil: portalPausedUntil)
            return RunActivity(since: since, until: now, minutes: minutes, run: run)
        }
    }

    /// The first event after the latest pause of `idleGap` before `before`: stepping back one
    /// event at a time through the index would follow the run; stepping back gap by gap reads
    /// one index entry per step instead.
    private static func runStart(_ db: Connection, since: Double, before: Double) throws -> Double {
        var start = before
        while let earlier = try db.row(RunActivitySQL.previousEvent, [since, start])?.double("at") {
            if start - earlier >= RunActivity.idleGap { break }
            // Everything within the gap before `start` belongs to the run: jump to the earliest of it.
            let earliest = try db.row(RunActivitySQL.firstEvent, [max(since, start - RunActivity.idleGap), start])?.double("at")
            start = min(earlier, earliest ?? earlier)
        }
        return start
    }

    private static func run(
        _ db: Connection, startedAt: Double, lastEvent: Double, now: Double, open: Int, queued: Int, portalPausedUntil: Double?
    ) throws -> RunActivity.Run {
        let counts = try db.row(RunActivitySQL.counts, [startedAt, now])
        let (done, failed, cancelled) = (counts?.int("done") ?? 0, counts?.int("failed") ?? 0, counts?.int("cancelled") ?? 0)
        let latest = try db.rows(RunActivitySQL.latestFinishes, [startedAt, now, RunETA.window]).reversed()
        let jobs = done + failed + open
        // Requests still needed: two per job not added yet, one per added job (an edit that reads
        // the gallery first needs two: slightly under).
        let requestsPerJob = open > 0 ? Double(open + queued) / Double(open) : 2
        let planned = OpenWorkEstimate(jobs: jobs, requests: Int((requestsPerJob * Double(jobs)).rounded()))
        let replayedDone = latest.filter { $0.string("to_state") == JobState.done.rawValue }.count
        var progress = RunProgress(
            startedAt: startedAt, planned: planned, done: done - replayedDone, failed: failed - (latest.count - replayedDone))
        for row in latest {
            guard let at = row.double("at"), let job = row.int("job_id").map(Int64.init) else { continue }
            let mod = row.string("mod") ?? ""
            if row.string("to_state") == JobState.done.rawValue {
                progress.apply(.reordered(job: job, mod: mod, images: 0), at: at)
            } else {
                let failure = JobFailure(FailureCode(rawValue: row.string("code") ?? ""), row.string("reason") ?? "")
                progress.apply(.failed(job: job, mod: mod, failure: failure, next: NextStep(text: "", retryHelps: false)), at: at)
            }
        }
        if let paused = portalPausedUntil, paused > now { progress.apply(.portalPaused(until: paused), at: now) }
        let interval = try db.row("SELECT interval FROM rate_limits WHERE name = 'portal'")?.double("interval")
        let rate = interval.flatMap { $0 > 0 ? Rate(count: 1, period: $0) : nil } ?? .default
        return RunActivity.Run(
            startedAt: startedAt, lastEventAt: lastEvent, progress: progress, cancelled: cancelled,
            eta: RunETA.of(progress, now: now, rate: rate))
    }
}

/// The queries of `QueueQueries.activity`, each a range of the `job_events_at` index.
enum RunActivitySQL {
    /// A job's arrival in a state it was not in: a finish, not a retry or a release.
    static let finish = "from_state IS NOT to_state"

    static let minutes = """
        SELECT CAST(at / 60 AS INTEGER) AS minute,
            SUM(to_state = 'done' AND \(finish)) AS done,
            SUM(to_state = 'failed' AND \(finish)) AS failed,
            SUM(to_state = 'cancelled' AND \(finish)) AS cancelled
        FROM job_events INDEXED BY job_events_at
        WHERE at >= ? AND at <= ? AND to_state IN ('done', 'failed', 'cancelled')
        GROUP BY minute ORDER BY minute
        """

    static let requests = "SELECT minute, requests FROM request_minutes WHERE minute >= ? AND minute <= ? ORDER BY minute"

    static let counts = """
        SELECT SUM(to_state = 'done') AS done, SUM(to_state = 'failed') AS failed, SUM(to_state = 'cancelled') AS cancelled
        FROM job_events INDEXED BY job_events_at
        WHERE at >= ? AND at <= ? AND to_state IN ('done', 'failed', 'cancelled') AND \(finish)
        """

    static let latestFinishes = """
        SELECT e.job_id, e.at, e.to_state, e.reason, j.mod, j.last_error_code AS code
        FROM job_events AS e INDEXED BY job_events_at LEFT JOIN jobs AS j ON j.id = e.job_id
        WHERE e.at >= ? AND e.at <= ? AND e.to_state IN ('done', 'failed') AND e.from_state IS NOT e.to_state
        ORDER BY e.at DESC LIMIT ?
        """

    static let lastEvent = "SELECT MAX(at) AS at FROM job_events INDEXED BY job_events_at WHERE at >= ? AND at <= ?"
    static let previousEvent = "SELECT MAX(at) AS at FROM job_events INDEXED BY job_events_at WHERE at >= ? AND at < ?"
    static let firstEvent = "SELECT MIN(at) AS at FROM job_events INDEXED BY job_events_at WHERE at >= ? AND at < ?"
}
