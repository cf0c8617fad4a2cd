import Foundation
import SQLiteStore

/// `retry`, `cancel` (of queued jobs, or of failed ones) and `prune`: changes a user makes to the queue by hand. They respect
/// claims: a job a live claim holds is left alone, with who holds it and until when; a job they
/// change loses any claim it had, so a worker that held it can no longer write about it.
public struct QueueMaintenance: Sendable {
    let database: QueueDatabase
    let now: @Sendable () -> Double

    public init(database: QueueDatabase, now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.database = database
        self.now = now
    }

    /// What a command did to each job it was asked about.
    public struct Outcome: Sendable, Equatable {
        public var changed: [Int64] = []
        /// Jobs left alone, with why.
        public var skipped: [Int64: String] = [:]
        /// Jobs refused because a live claim holds them, with who holds them and until when.
        public var held: [Int64: String] = [:]
    }

    /// Who asked for a change; the job's event log says so ("retry requested from the dashboard").
    public enum Requester: Sendable, Equatable {
        /// The CLI commands: the log says only what was requested.
        case commandLine
        /// The web dashboard (`serve`).
        case dashboard

        /// `reason` as the event log keeps it.
        func reason(_ reason: String) -> String {
            switch self {
            case .commandLine: return reason
            case .dashboard: return reason + " from the dashboard"
            }
        }
    }

    public enum Selection: Sendable {
        case jobs([Int64])
        /// Every job of the states the command changes, optionally of one mod only.
        case all(mod: String?)
    }

    /// Puts failed jobs back in the queue with fresh attempts (an upload starts again at `add`).
    public func retry(_ selection: Selection, by requester: Requester = .commandLine) async throws -> Outcome {
        try await change(
            selection, from: [.failed], reason: requester.reason("retry requested"),
            { _ in [.state(.queued), .uploadURL(nil), .freshAttempts, .clearFailure, .unfinished] })
    }

    /// Cancels open jobs that no live claim holds and whose upload was never sent: a queued job,
    /// or an added one (its `add` made ahead, its upload not yet sent), which is then never sent.
    /// An added job whose upload was sent is left to the worker: that upload may have reached
    /// the portal with its answer lost, and only the worker, which looks in the gallery, can tell.
    public func cancel(_ selection: Selection, by requester: Requester = .commandLine) async throws -> Outcome {
        try await change(
            selection, from: JobState.open, reason: requester.reason("cancelled by request"),
            { now in [.state(.cancelled), .uploadURL(nil), .finished(at: now)] },
            refuse: { row in
                row.string("state") == JobState.added.rawValue && row.int("upload_sent") == 1
                    ? "its upload was sent and may have reached the portal, so the worker finishes it (it looks in the gallery first)"
                    : nil
            })
    }

    /// Sets failed jobs aside: `failed` → `cancelled`, so they no longer count as failures (nor
    /// show as their mod's last error); the job keeps its error for `jobs` and `log`.
    public func cancelFailed(_ selection: Selection, by requester: Requester = .commandLine) async throws -> Outcome {
        try await change(
            selection, from: [.failed], reason: requester.reason("failure set aside: cancelled by request"),
            { now in [.state(.cancelled), .finishedUnlessSet(at: now)] })
    }

    /// Removes finished jobs (done, failed, cancelled) that finished before `now - age`,
    /// with their events; the image history stays. Returns how many were removed.
    public func prune(olderThan age: Double) async throws -> Int {
        try await prune(PruneSelection(olderThan: age)).map(\.count).reduce(0, +)
    }

    /// Removes the finished jobs `selection` names, with their events (the image history stays),
    /// or with `dryRun` only counts them. Returns how many per mod and state, by mod then state.
    /// A job another job waits for (an upload a reorder names) goes only with that job: the
    /// waiting job keeps its reason to fail, and its log keeps the jobs it waited for.
    public func prune(_ selection: PruneSelection, dryRun: Bool = false) async throws -> [PrunedJobs] {
        let states = (selection.state.map { [$0] } ?? FinishedState.allCases).map(\.rawValue)
        let cutoff = selection.olderThan.map { now() - $0 }
        func condition(_ table: String) -> (sql: String, bindings: [any SQLiteBindable]) {
            var conditions = ["\(table).state IN (\(states.map { _ in "?" }.joined(separator: ", ")))"]
            var bindings: [any SQLiteBindable] = states
            if let cutoff {
                conditions.append("\(table).finished_at < ?")
                bindings.append(cutoff)
            }
            if let mod = selection.mod {
                conditions.append("\(table).mod = ?")
                bindings.append(mod)
            }
            return (conditions.joined(separator: " AND "), bindings)
        }
        let (pruned, waiting) = (condition("jobs"), condition("w"))
        let selected = """
            \(pruned.sql) AND NOT EXISTS (
              SELECT 1 FROM job_dependencies AS d JOIN jobs AS w ON w.id = d.job_id
              WHERE d.depends_on = jobs.id AND NOT (\(waiting.sql)))
            """
        let bindings = pruned.bindings + waiting.bindings
        let count = "SELECT mod, state, COUNT(*) AS n FROM jobs WHERE \(selected) GROUP BY mod, state ORDER BY mod, state"
        let body: @Sendable (Connection) throws -> [PrunedJobs] = { [bindings] db in
            let groups = try db.rows(count, bindings).compactMap { row -> PrunedJobs? in
                guard let mod = row.string("mod"), let state = row.string("state").flatMap(FinishedState.init(rawValue:)),
                    let n = row.int("n")
                else { return nil }
                return PrunedJobs(mod: mod, state: state, count: n)
            }
            if !dryRun {
                // Ids are never given twice: new jobs are numbered above every id seen so far.
                try db.run("UPDATE job_ids SET highest = MAX(highest, (SELECT COALESCE(MAX(id), 0) FROM jobs))")
                try db.run("DELETE FROM jobs WHERE \(selected)", bindings)
            }
            return groups
        }
        if dryRun { return try await database.read(body) }
        return try await database.write(body)
    }

    private func change(
        _ selection: Selection, from allowed: [JobState], reason: String, _ changes: @escaping @Sendable (Double) -> [JobChange],
        refuse: @escaping @Sendable (Row) -> String? = { _ in nil }
    ) async throws -> Outcome {
        let time = now()
        return try await database.write { db in
            var outcome = Outcome()
            let rows: [Row]
            switch selection {
            case .jobs(let ids):
                rows = try ids.map { id in
                    guard let row = try db.row(Self.selectColumns + " WHERE id = ?", [id]) else {
                        throw QueueError.unknownJob(id)
                    }
                    return row
                }
            case .all(let mod):
                let states = JobSQL.stateIn(allowed)
                rows = try db.rows(
                    Self.selectColumns + " WHERE \(states.sql) AND (? IS NULL OR mod = ?) ORDER BY id", states.bindings + [mod, mod])
            }
            for row in rows {
                guard let id = row.int("id").map(Int64.init), let state = row.string("state").flatMap(JobState.init(rawValue:))
                else { continue }
                guard allowed.contains(state) else {
                    outcome.skipped[id] = "it is \(state.rawValue)"
                    continue
                }
                if let why = refuse(row) {
                    outcome.skipped[id] = why
                    continue
                }
                if let (holder, until) = ClaimRules.liveHolder(row, now: time) {
                    outcome.held[id] =
                        "a worker (\(holder.description)) holds it until \(LocalMoment.text(until, now: time)); stop that worker or try again after then"
                    continue
                }
                // The same conditions again in the statement itself, and the claim cleared.
                let transition = JobTransition(job: id, from: state, holder: .nobody, changes: changes(time), endsClaim: true)
                if try transition.apply(db, reason: reason, now: time) { outcome.changed.append(id) }
            }
            return outcome
        }
    }

    private static let selectColumns = "SELECT id, state, upload_sent, \(ClaimRules.holderColumns) FROM jobs"
}
