import Foundation
import ModPortal
import SQLiteStore

/// One job as `jobs` lists it and `log --json` shows it: the job as the store decodes it (its
/// work and its last failure typed), and when it may run again.
public struct JobSummary: Sendable, Equatable {
    public let job: Job
    /// When an open job backing off may run again; nil for a job not backing off or finished.
    public let nextAttemptAt: Double?

    public var id: Int64 { job.id }
    public var mod: String { job.mod }
    public var kind: JobKind { job.kind }
    public var state: JobState { job.state }
    /// Transient failures since it was queued (or retried by hand).
    public var attempts: Int { job.attempts }
    public var work: Job.Work { job.work }
    public var failure: JobFailure? { job.lastFailure }
    /// The local file of an upload; nil for a reorder.
    public var file: String? { job.upload?.path }
    /// `CODE: message` of its last failure, sanitised to one line, for display; nil if none.
    public var error: String? { failure.map { PortalText.sanitized($0.description) } }
    /// A reorder's wanted order; nil for an upload.
    public var imageIDs: [String]? {
        if case .reorder(let reorder) = job.work { return reorder.imageIDs }
        return nil
    }
    /// The images a reorder takes out of the gallery (`remove`); empty otherwise.
    public var excludedIDs: [String] {
        if case .reorder(let reorder) = job.work { return reorder.excludedIDs }
        return []
    }
}

/// Which jobs `jobs` lists: every filter given must hold.
public struct JobFilter: Sendable, Equatable {
    public var state: JobState?
    public var mod: String?
    public var kind: JobKind?
    /// At most this many (nil: all of them); for `page`, the page's size.
    public var limit: Int?
    /// Oldest first instead of newest first.
    public var oldestFirst = false
    /// Only jobs past this id: older than it newest first, newer than it oldest first.
    public var cursor: Int64?

    public init(
        state: JobState? = nil, mod: String? = nil, kind: JobKind? = nil, limit: Int? = nil, oldestFirst: Bool = false,
        cursor: Int64? = nil
    ) {
        self.state = state
        self.mod = mod
        self.kind = kind
        self.limit = limit
        self.oldestFirst = oldestFirst
        self.cursor = cursor
    }
}

/// Lists jobs, newest first, for `jobs`, `log --json` and the dashboard: whole, by page, or page
/// after page as they are read.
public struct JobListing: Sendable {
    let database: QueueDatabase

    public init(database: QueueDatabase) {
        self.database = database
    }

    public func jobs(_ filter: JobFilter = JobFilter()) async throws -> [JobSummary] {
        let (sql, bindings) = Self.query(filter)
        return try await database.read { db in try db.rows(sql, bindings).map(Self.summary) }
    }

    /// One page of the jobs `filter` selects, past its cursor: `filter.limit` of them (by default
    /// `PageRequest.defaultLimit`, never more than `PageRequest.maximumLimit`), and the cursor of
    /// the next page if there are more.
    public func page(_ filter: JobFilter) async throws -> Page<JobSummary> {
        var read = filter
        let size = min(max(filter.limit ?? PageRequest.defaultLimit, 1), PageRequest.maximumLimit)
        read.limit = size + 1
        let jobs = try await self.jobs(read)
        return PageRequest(limit: size).page(jobs.map { ($0.id, $0) })
    }

    /// Every job `filter` selects (at most `filter.limit`), handed to `body` a page of `pageSize`
    /// at a time as it is read: memory stays that of one page however many jobs there are. Each
    /// page is its own read, so jobs added meanwhile past the cursor may appear; none appears twice.
    public func forEachPage(
        _ filter: JobFilter, pageSize: Int = PageRequest.maximumLimit, _ body: ([JobSummary]) async throws -> Void
    ) async throws {
        var left = filter.limit
        var next = filter
        while left.map({ $0 > 0 }) ?? true {
            next.limit = min(pageSize, left ?? pageSize)
            let page = try await self.page(next)
            if !page.items.isEmpty { try await body(page.items) }
            left = left.map { $0 - page.items.count }
            guard let cursor = page.next else { return }
            next.cursor = cursor
        }
    }

    public func job(id: Int64) async throws -> JobSummary {
        try await database.read { db in
            guard let row = try db.row("SELECT \(Self.columns) FROM jobs WHERE id = ?", [id]) else {
                throw QueueError.unknownJob(id)
            }
            return try Self.summary(row)
        }
    }

    /// SQLite's plan for the query `filter` makes, to check it uses an index.
    public func queryPlan(_ filter: JobFilter) async throws -> [String] {
        let (sql, bindings) = Self.query(filter)
        return try await database.read { db in
            try db.rows("EXPLAIN QUERY PLAN " + sql, bindings).compactMap { $0.string("detail") }
        }
    }

    static let columns = "\(Job.columns), next_attempt_at"

    /// Only the conditions given, so SQLite can use an index for them. A state filter also
    /// names, as written, the condition of the partial index that covers it (`jobs_unsuccessful`
    /// for failed and cancelled, `jobs_open_by_mod` for queued and added): SQLite uses a partial
    /// index only when the query states its condition.
    static func query(_ filter: JobFilter) -> (String, [any SQLiteBindable]) {
        var conditions: [String] = []
        var bindings: [any SQLiteBindable] = []
        // Named, not left to the planner: with jobs_mod beside them, SQLite would take that one
        // and read a mod's every job for a page of its failures.
        var index = ""
        if let state = filter.state {
            switch state {
            case .failed, .cancelled:
                conditions.append("state IN ('failed', 'cancelled')")
                index = " INDEXED BY jobs_unsuccessful"
            case .queued, .added:
                conditions.append(JobSQL.isOpen())
                if filter.mod != nil { index = " INDEXED BY jobs_open_by_mod" }
            case .done: break
            }
            conditions.append("state = ?")
            bindings.append(state.rawValue)
        }
        if let mod = filter.mod {
            conditions.append("mod = ?")
            bindings.append(mod)
        }
        if let kind = filter.kind {
            conditions.append("kind = ?")
            bindings.append(kind.rawValue)
        }
        let keyset = PageRequest(cursor: filter.cursor, oldestFirst: filter.oldestFirst).keyset("id")
        if let condition = keyset.condition {
            conditions.append(condition)
            bindings += keyset.bindings
        }
        var sql = "SELECT \(columns) FROM jobs" + index
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " \(keyset.order) LIMIT ?"
        // SQLite reads a negative limit as none.
        bindings.append(filter.limit.map { max($0, 0) } ?? -1)
        return (sql, bindings)
    }

    private static func summary(_ row: Row) throws -> JobSummary {
        let job = try Job(row: row)
        let next = row.double("next_attempt_at").flatMap { job.state.isOpen && $0 > 0 ? $0 : nil }
        return JobSummary(job: job, nextAttemptAt: next)
    }
}
