import Foundation
import ModPortal
import SQLiteStore

/// The queue in SQLite. One connection, used under a lock; every change is one
/// `BEGIN IMMEDIATE` transaction that also appends the job's event.
public final class SQLiteJobStore: JobStore, @unchecked Sendable {
    private let connection: Connection
    private let lock = NSLock()

    public init(connection: Connection) {
        self.connection = connection
    }

    /// Calls `hook` inside every commit of this store (see `Connection.setCommitHook`).
    public func setCommitHook(_ hook: (@Sendable () -> Void)?) {
        try? withConnection { $0.setCommitHook(hook) }
    }

    func withConnection<T>(_ body: (Connection) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(connection)
    }

    static let jobColumns = """
        id, kind, mod, state, file_path, file_sha1, file_size, image_ids, upload_url, readd_count,
        attempts, next_attempt_at, last_error_code, last_error_message, keep_unlisted
        """

    /// The next runnable job (binding `now` twice): the oldest open job of its mod, not leased,
    /// not backing off, not waiting on an open dependency. Public so the benchmark's raw
    /// reference runs the very same statement.
    public static let claimableJob = """
        FROM jobs AS j
        WHERE j.state IN ('queued', 'added')
          AND j.id = (SELECT MIN(k.id) FROM jobs AS k WHERE k.mod = j.mod AND k.state IN ('queued', 'added'))
          AND (j.lease_expires_at IS NULL OR j.lease_expires_at <= ?)
          AND j.next_attempt_at <= ?
          AND NOT EXISTS (
            SELECT 1 FROM job_dependencies AS d JOIN jobs AS k ON k.id = d.depends_on
            WHERE d.job_id = j.id AND k.state IN ('queued', 'added'))
        ORDER BY j.next_attempt_at, j.id
        LIMIT 1
        """

    public func claim(owner: String, now: Double, leaseSeconds: Double) throws -> Job? {
        try withConnection { db in
            try db.transaction {
                let row = try db.row("SELECT \(Self.jobColumns) " + Self.claimableJob, [now, now])
                guard let row else { return nil }
                let job = try Job(row: row)
                try db.run(
                    "UPDATE jobs SET lease_owner = ?, lease_expires_at = ?, updated_at = ? WHERE id = ?",
                    [owner, now + leaseSeconds, now, job.id])
                return job
            }
        }
    }

    public func renewLease(jobID: Int64, owner: String, until: Double) throws -> Bool {
        try withConnection { db in
            try db.transaction {
                try db.run(
                    "UPDATE jobs SET lease_expires_at = ? WHERE id = ? AND lease_owner = ?", [until, jobID, owner])
                return db.changes == 1
            }
        }
    }

    /// Applies `update` to a job this owner holds and logs the transition, in one transaction.
    private func transition(
        jobID: Int64, owner: String, to newState: JobState?, reason: String, now: Double,
        update: String, _ values: [any SQLiteBindable]
    ) throws {
        try withConnection { db in
            try db.transaction {
                guard let row = try db.row("SELECT state FROM jobs WHERE id = ? AND lease_owner = ?", [jobID, owner]),
                    let from = row.string("state")
                else { throw JobStoreError.leaseLost(jobID: jobID) }
                try db.run("UPDATE jobs SET \(update), updated_at = ? WHERE id = ?", values + [now, jobID])
                try Self.appendEvent(db, jobID: jobID, from: from, to: newState?.rawValue ?? from, reason: reason, now: now)
            }
        }
    }

    static func appendEvent(_ db: Connection, jobID: Int64, from: String?, to: String, reason: String, now: Double) throws {
        try db.run(
            "INSERT INTO job_events (job_id, at, from_state, to_state, reason) VALUES (?, ?, ?, ?, ?)",
            [jobID, now, from, to, reason])
    }

    public func recordAdded(jobID: Int64, owner: String, uploadURL: URL, now: Double) throws {
        try transition(
            jobID: jobID, owner: owner, to: .added, reason: "add succeeded; upload_url stored", now: now,
            update: "state = 'added', upload_url = ?, last_error_code = NULL, last_error_message = NULL",
            [uploadURL.absoluteString])
    }

    public func recordUploaded(jobID: Int64, owner: String, image: PortalImage, reason: String, now: Double) throws {
        try withConnection { db in
            try db.transaction {
                guard let row = try db.row(
                    "SELECT state, mod, file_path FROM jobs WHERE id = ? AND lease_owner = ?", [jobID, owner]),
                    let from = row.string("state"), let mod = row.string("mod")
                else { throw JobStoreError.leaseLost(jobID: jobID) }
                try db.run(
                    """
                    UPDATE jobs SET state = 'done', result_image_id = ?, upload_url = NULL, lease_owner = NULL,
                      lease_expires_at = NULL, last_error_code = NULL, last_error_message = NULL,
                      finished_at = ?, updated_at = ? WHERE id = ?
                    """, [image.id, now, now, jobID])
                try db.run(
                    """
                    INSERT INTO images (mod, image_id, url, thumbnail, file_path, uploaded_at, job_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, [mod, image.id, image.url, image.thumbnail, row.string("file_path"), now, jobID])
                try Self.appendEvent(db, jobID: jobID, from: from, to: "done", reason: reason, now: now)
            }
        }
    }

    public func recordReordered(jobID: Int64, owner: String, now: Double) throws {
        try transition(
            jobID: jobID, owner: owner, to: .done, reason: "edit succeeded; gallery set", now: now,
            update: """
                state = 'done', lease_owner = NULL, lease_expires_at = NULL, last_error_code = NULL,
                last_error_message = NULL, finished_at = ?
                """, [now])
    }

    public func restartUpload(jobID: Int64, owner: String, reason: String, now: Double) throws {
        try transition(
            jobID: jobID, owner: owner, to: .queued, reason: reason, now: now,
            update: """
                state = 'queued', upload_url = NULL, readd_count = readd_count + 1, lease_owner = NULL,
                lease_expires_at = NULL
                """, [])
    }

    public func scheduleRetry(
        jobID: Int64, owner: String, retryAt: Double, errorCode: String, errorMessage: String, now: Double
    ) throws {
        try transition(
            jobID: jobID, owner: owner, to: nil,
            reason: "\(errorCode): \(errorMessage); retry at \(Timestamps.format(retryAt))", now: now,
            update: """
                attempts = attempts + 1, next_attempt_at = ?, last_error_code = ?, last_error_message = ?,
                lease_owner = NULL, lease_expires_at = NULL
                """, [retryAt, errorCode, errorMessage])
    }

    public func fail(jobID: Int64, owner: String, errorCode: String, errorMessage: String, now: Double) throws {
        try transition(
            jobID: jobID, owner: owner, to: .failed, reason: "\(errorCode): \(errorMessage)", now: now,
            update: """
                state = 'failed', last_error_code = ?, last_error_message = ?, lease_owner = NULL,
                lease_expires_at = NULL, finished_at = ?
                """, [errorCode, errorMessage, now])
    }

    public func release(jobID: Int64, owner: String, reason: String, now: Double) throws {
        try transition(
            jobID: jobID, owner: owner, to: nil, reason: reason, now: now,
            update: "lease_owner = NULL, lease_expires_at = NULL", [])
    }

    public func openWork(now: Double) throws -> OpenWork {
        try withConnection { db in
            let open = try db.row("SELECT COUNT(*) AS open FROM jobs WHERE state IN ('queued', 'added')")
            // Only the oldest open job of each mod can run next; the others wait behind it.
            let next = try db.row(
                """
                SELECT MIN(MAX(j.next_attempt_at, COALESCE(j.lease_expires_at, 0))) AS next_at FROM jobs AS j
                WHERE j.state IN ('queued', 'added')
                  AND j.id = (SELECT MIN(k.id) FROM jobs AS k WHERE k.mod = j.mod AND k.state IN ('queued', 'added'))
                """)
            return OpenWork(openJobs: open?.int("open") ?? 0, nextRunnableAt: next?.double("next_at"))
        }
    }

    public func dependencies(ofJob jobID: Int64) throws -> [(job: Int64, state: JobState)] {
        try withConnection { db in
            try db.rows(
                """
                SELECT d.depends_on AS job, j.state FROM job_dependencies AS d JOIN jobs AS j ON j.id = d.depends_on
                WHERE d.job_id = ? ORDER BY d.depends_on
                """, [jobID]
            ).compactMap { row in
                guard let job = row.int("job"), let state = row.string("state").flatMap(JobState.init(rawValue:)) else {
                    return nil
                }
                return (Int64(job), state)
            }
        }
    }

    public func failOpenJobs(ofMod mod: String, owner: String, errorCode: String, errorMessage: String, now: Double) throws
        -> Int
    {
        try withConnection { db in
            try db.transaction {
                let rows = try db.rows(
                    """
                    SELECT id, state FROM jobs WHERE mod = ? AND state IN ('queued', 'added')
                      AND (lease_owner IS NULL OR lease_owner = ? OR lease_expires_at <= ?)
                    """, [mod, owner, now])
                for row in rows {
                    guard let id = row.int("id"), let from = row.string("state") else { continue }
                    try db.run(
                        """
                        UPDATE jobs SET state = 'failed', last_error_code = ?, last_error_message = ?, lease_owner = NULL,
                          lease_expires_at = NULL, finished_at = ?, updated_at = ? WHERE id = ?
                        """, [errorCode, errorMessage, now, now, id])
                    try Self.appendEvent(db, jobID: Int64(id), from: from, to: "failed", reason: "\(errorCode): \(errorMessage)", now: now)
                }
                return rows.count
            }
        }
    }

    public func raiseSignal(_ signal: WorkerSignal, detail: String, now: Double) throws {
        try withConnection { db in
            try db.transaction {
                try db.run(
                    """
                    INSERT INTO worker_signals (name, at, detail) VALUES (?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET at = excluded.at, detail = excluded.detail
                    """, [signal.rawValue, now, detail])
            }
        }
    }

    public func signal(_ signal: WorkerSignal) throws -> (at: Double, detail: String)? {
        try withConnection { db in
            guard let row = try db.row("SELECT at, detail FROM worker_signals WHERE name = ?", [signal.rawValue]),
                let at = row.double("at")
            else { return nil }
            return (at, row.string("detail") ?? "")
        }
    }
}
