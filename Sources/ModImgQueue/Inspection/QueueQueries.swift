import Foundation
import ModPortal
import SQLiteStore

/// Counts of jobs per state.
public struct StateCounts: Sendable, Equatable, Codable {
    public var queued = 0
    public var added = 0
    public var done = 0
    public var failed = 0
    public var cancelled = 0

    public init() {}

    mutating func add(_ state: JobState, _ count: Int) {
        switch state {
        case .queued: queued += count
        case .added: added += count
        case .done: done += count
        case .failed: failed += count
        case .cancelled: cancelled += count
        }
    }
}

public struct ModStatus: Sendable, Equatable {
    public let mod: String
    public var counts: StateCounts
    /// Queued jobs (reorders) waiting for uploads they depend on.
    public var waitingOnDependencies = 0
    /// The failure of the mod's most recently failed or retrying job, if any (its root cause
    /// first: see `StatusSQL.lastErrors`).
    public var lastError: JobFailure?
    /// When the mod's next backoff ends, if a job of it is waiting to retry.
    public var nextRetryAt: Double?
}

/// A job a worker holds through a live claim.
public struct HeldJob: Sendable, Equatable {
    public let job: Int64
    public let mod: String
    public let holder: ClaimHolder
    public let until: Double
}

public struct QueueStatus: Sendable, Equatable {
    public var total: StateCounts
    public var mods: [ModStatus]
    /// Jobs held by workers' live claims, oldest first.
    public var held: [HeldJob] = []
    /// When the portal's `Retry-After` pause of every request on this database ends, while one is active.
    public var portalPausedUntil: Double?
    /// When a worker last saw the portal refuse the key, and what it said (until a worker's key works).
    public var keyRefused: KeyRefusal?
    public var waitingOnDependencies: Int { mods.map(\.waitingOnDependencies).reduce(0, +) }
    public var nextRetryAt: Double? { mods.compactMap(\.nextRetryAt).min() }
}

public struct KeyRefusal: Sendable, Equatable {
    public let at: Double
    public let detail: String
}

public struct HistoryEntry: Sendable, Equatable, Codable {
    public let id: String
    public let url: String
    public let thumbnail: String
    public let file: String?
    public let uploadedAt: Double
    public let job: Int64?
}

public struct JobEvent: Sendable, Equatable {
    public let at: Double
    public let fromState: String?
    public let toState: String
    public let reason: String
}

/// Read-only questions about the queue, for `status`, `history` and `log`.
public struct QueueQueries: Sendable {
    let database: QueueDatabase

    public init(database: QueueDatabase) {
        self.database = database
    }

    public func status(mod: String? = nil, now: Double = Date().timeIntervalSince1970) async throws -> QueueStatus {
        try await database.read { db in
            let oneMod = mod != nil
            let bindings: [any SQLiteBindable] = mod.map { [$0] } ?? []
            var byMod: [String: ModStatus] = [:]
            var total = StateCounts()
            for row in try db.rows(StatusSQL.counts(oneMod: oneMod), bindings) {
                guard let name = row.string("mod"), let state = row.string("state").flatMap(JobState.init(rawValue:))
                else { continue }
                let count = row.int("n") ?? 0
                byMod[name, default: ModStatus(mod: name, counts: StateCounts())].counts.add(state, count)
                total.add(state, count)
            }
            for row in try db.rows(StatusSQL.lastErrors(oneMod: oneMod), bindings) {
                guard let name = row.string("mod"), let code = row.string("last_error_code") else { continue }
                byMod[name]?.lastError = JobFailure(FailureCode(rawValue: code), row.string("last_error_message") ?? "")
            }
            for row in try db.rows(StatusSQL.nextRetries(oneMod: oneMod), [now] + bindings) {
                guard let name = row.string("mod") else { continue }
                byMod[name]?.nextRetryAt = row.double("next_at")
            }
            for row in try db.rows(StatusSQL.waiting(oneMod: oneMod), bindings) {
                guard let name = row.string("mod") else { continue }
                byMod[name]?.waitingOnDependencies = row.int("n") ?? 0
            }
            var status = QueueStatus(total: total, mods: byMod.values.sorted { $0.mod < $1.mod })
            status.held = try db.rows(StatusSQL.held(oneMod: oneMod), [now] + bindings).compactMap { row in
                guard let job = row.int("id"), let name = row.string("mod"), let until = row.double("lease_expires_at")
                else { return nil }
                return HeldJob(job: Int64(job), mod: name, holder: ClaimRules.holder(row), until: until)
            }
            if let paused = try db.row("SELECT paused_until FROM rate_limits WHERE name = 'portal'")?.double("paused_until"),
                paused > now
            {
                status.portalPausedUntil = PortalPause.capped(paused, now: now)
            }
            if let refused = try db.row("SELECT at, detail FROM worker_signals WHERE name = ?", [WorkerSignal.apiKeyRejected.rawValue]),
                let at = refused.double("at")
            {
                status.keyRefused = KeyRefusal(at: at, detail: PortalText.sanitized(refused.string("detail") ?? ""))
            }
            return status
        }
    }

    /// SQLite's plan for each query `status` (with or without a mod) and `history` run, and of
    /// the claim, to check they use indexes.
    public func queryPlans(mod: String) async throws -> [(query: String, plan: [String])] {
        let queries: [(String, String, [any SQLiteBindable])] = [
            ("status: counts", StatusSQL.counts(oneMod: false), []),
            ("status: last errors", StatusSQL.lastErrors(oneMod: false), []),
            ("status: next retries", StatusSQL.nextRetries(oneMod: false), [0.0]),
            ("status: waiting", StatusSQL.waiting(oneMod: false), []),
            ("status: held", StatusSQL.held(oneMod: false), [0.0]),
            ("status --mod: counts", StatusSQL.counts(oneMod: true), [mod]),
            ("status --mod: last errors", StatusSQL.lastErrors(oneMod: true), [mod]),
            ("status --mod: next retries", StatusSQL.nextRetries(oneMod: true), [0.0, mod]),
            ("status --mod: waiting", StatusSQL.waiting(oneMod: true), [mod]),
            ("status --mod: held", StatusSQL.held(oneMod: true), [0.0, mod]),
            ("history", StatusSQL.history, [mod]),
            ("work: claim", ClaimRules.claimable, [0.0]),
            ("work: head of a mod, kept by the triggers", ClaimRules.headOfMod, [mod]),
        ]
        return try await database.read { db in
            try queries.map { name, sql, bindings in
                (name, try db.rows("EXPLAIN QUERY PLAN " + sql, bindings).compactMap { $0.string("detail") })
            }
        }
    }

    public func history(mod: String) async throws -> [HistoryEntry] {
        try await database.read { db in
            try db.rows(StatusSQL.history, [mod]).map { row in
                HistoryEntry(
                    id: row.string("image_id") ?? "", url: row.string("url") ?? "",
                    thumbnail: row.string("thumbnail") ?? "", file: row.string("file_path"),
                    uploadedAt: row.double("uploaded_at") ?? 0, job: row.int("job_id").map(Int64.init))
            }
        }
    }

    /// The portal's thumbnail address of every image in these mods' history, by image id.
    public func thumbnails(mods: [String]) async throws -> [String: String] {
        try await database.read { db in
            var thumbnails: [String: String] = [:]
            for mod in mods {
                for row in try db.rows("SELECT image_id, thumbnail FROM images WHERE mod = ? AND thumbnail != ''", [mod]) {
                    if let id = row.string("image_id"), let thumbnail = row.string("thumbnail") { thumbnails[id] = thumbnail }
                }
            }
            return thumbnails
        }
    }

    public func job(id: Int64) async throws -> Job {
        try await database.read { db in
            guard let row = try db.row("SELECT \(Job.columns) FROM jobs WHERE id = ?", [id]) else {
                throw QueueError.unknownJob(id)
            }
            return try Job(row: row)
        }
    }

    /// The job's log: how it was queued (read from the job row), then every stored transition.
    public func events(jobID: Int64) async throws -> [JobEvent] {
        try await database.read { db in
            guard let row = try db.row("SELECT \(Job.columns), created_at FROM jobs WHERE id = ?", [jobID]) else {
                throw QueueError.unknownJob(jobID)
            }
            let job = try Job(row: row)
            let dependencies = try db.rows(
                "SELECT depends_on FROM job_dependencies WHERE job_id = ? ORDER BY depends_on", [jobID]
            ).compactMap { $0.int("depends_on") }
            let queued = JobEvent(
                at: row.double("created_at") ?? 0, fromState: nil, toState: JobState.queued.rawValue,
                reason: Self.queuedReason(job.work, dependencies: dependencies))
            return [queued]
                + (try db.rows("SELECT at, from_state, to_state, reason FROM job_events WHERE job_id = ? ORDER BY id", [jobID])
                    .map { row in
                        JobEvent(
                            at: row.double("at") ?? 0, fromState: row.string("from_state"),
                            toState: row.string("to_state") ?? "", reason: row.string("reason") ?? "")
                    })
        }
    }

    private static func queuedReason(_ work: Job.Work, dependencies: [Int]) -> String {
        var reason: String
        switch work {
        case .upload(let upload):
            reason = "queued upload of \(upload.path) (\(upload.size) bytes, SHA1 \(upload.sha1))"
        case .reorder(let reorder) where !reorder.excludedIDs.isEmpty:
            reason = "queued removal of \(reorder.excludedIDs.joined(separator: ", ")) from the gallery as it is just before the edit"
        case .reorder(let reorder):
            reason = "queued reorder to \(reorder.imageIDs.count) images"
            if reorder.keepUnlisted { reason += ", keeping the gallery's other images after them" }
        }
        if !dependencies.isEmpty { reason += "; waits for jobs \(dependencies.map(String.init).joined(separator: ", "))" }
        return reason
    }
}

/// The questions `status` and `history` ask, shared with `queryPlans`.
enum StatusSQL {
    static func counts(oneMod: Bool) -> String {
        "SELECT mod, state, n FROM job_counts WHERE n > 0" + (oneMod ? " AND mod = ?" : "")
    }

    /// Each mod's root cause: its newest error that is not a dependency failure, else its newest
    /// (SQLite takes the other columns from the row holding the MAX).
    static func lastErrors(oneMod: Bool) -> String {
        """
        SELECT mod, last_error_code, last_error_message,
            MAX((last_error_code IS NOT 'DependencyFailed') * 1e12 + updated_at) FROM jobs INDEXED BY jobs_errors
        WHERE last_error_code IS NOT NULL AND state IN ('queued', 'added', 'failed') \(oneMod ? "AND mod = ?" : "")
        GROUP BY mod
        """
    }

    static func nextRetries(oneMod: Bool) -> String {
        """
        SELECT mod, MIN(next_attempt_at) AS next_at FROM jobs INDEXED BY jobs_backoff
        WHERE \(JobSQL.isOpen()) AND next_attempt_at > 0 AND next_attempt_at > ? \(oneMod ? "AND mod = ?" : "")
        GROUP BY mod
        """
    }

    /// Open jobs (reorders) some of whose dependencies are still open, per mod: read from the
    /// jobs' own counts (`open_dependencies`), not from the dependency rows.
    static func waiting(oneMod: Bool) -> String {
        """
        SELECT mod, COUNT(*) AS n FROM jobs INDEXED BY jobs_waiting
        WHERE open_dependencies > 0 AND \(JobSQL.isOpen()) \(oneMod ? "AND mod = ?" : "")
        GROUP BY mod
        """
    }

    /// Open jobs under a live claim (binding `now`).
    static func held(oneMod: Bool) -> String {
        """
        SELECT id, mod, \(ClaimRules.holderColumns) FROM jobs INDEXED BY jobs_claims
        WHERE claim_token IS NOT NULL AND lease_expires_at > ? AND \(JobSQL.isOpen()) \(oneMod ? "AND mod = ?" : "")
        ORDER BY id
        """
    }

    static let history =
        "SELECT image_id, url, thumbnail, file_path, uploaded_at, job_id FROM images WHERE mod = ? ORDER BY id"
}
