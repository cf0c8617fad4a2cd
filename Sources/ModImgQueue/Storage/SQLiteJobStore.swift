import Foundation
import ModPortal
import SQLiteStore

/// The queue in SQLite, through the serialised `QueueDatabase`. Every change is one
/// `BEGIN IMMEDIATE` transaction that also appends the job's event; every change about a
/// claimed job is one `UPDATE … WHERE claim_token = ? AND state = ? AND lease_expires_at > ?`.
public struct SQLiteJobStore: JobStore {
    let database: QueueDatabase

    public init(database: QueueDatabase) {
        self.database = database
    }

    /// The next runnable job (binding `now` four times): unclaimed, not backing off, not
    /// waiting on an open dependency, and either the oldest open job of its mod or — to make
    /// its `add` ahead — a queued upload right after the mod's oldest open job when that one is
    /// an upload past its own `add`, under a live claim (at most one `add` ahead per mod).
    /// One job of a mod at a time, on every path: no other open job of the mod may be under a
    /// live claim — a job `retry` put back before one in flight, or a newer job, waits — except
    /// that very oldest upload while its successor makes its `add` ahead. Public so the
    /// benchmark's raw reference runs the very same statement.
    public static let claimableJob = """
        FROM jobs AS j
        WHERE j.state IN ('queued', 'added')
          AND (
            j.id = (SELECT MIN(k.id) FROM jobs AS k WHERE k.mod = j.mod AND k.state IN ('queued', 'added'))
            OR (j.kind = 'upload' AND j.state = 'queued' AND EXISTS (
              SELECT 1 FROM jobs AS p
              WHERE p.id = (SELECT MIN(k.id) FROM jobs AS k WHERE k.mod = j.mod AND k.state IN ('queued', 'added'))
                AND p.kind = 'upload' AND p.state = 'added' AND p.lease_expires_at > ?
                AND j.id = (
                  SELECT MIN(k.id) FROM jobs AS k WHERE k.mod = j.mod AND k.state IN ('queued', 'added') AND k.id > p.id)))
          )
          AND (j.lease_expires_at IS NULL OR j.lease_expires_at <= ?)
          AND j.next_attempt_at <= ?
          AND NOT EXISTS (
            SELECT 1 FROM jobs AS o
            WHERE o.mod = j.mod AND o.id <> j.id AND o.state IN ('queued', 'added') AND o.lease_expires_at > ?
              AND NOT (j.kind = 'upload' AND j.state = 'queued' AND o.kind = 'upload' AND o.state = 'added'
                AND o.id = (SELECT MIN(k.id) FROM jobs AS k WHERE k.mod = j.mod AND k.state IN ('queued', 'added'))))
          AND NOT EXISTS (
            SELECT 1 FROM job_dependencies AS d JOIN jobs AS k ON k.id = d.depends_on
            WHERE d.job_id = j.id AND k.state IN ('queued', 'added'))
        ORDER BY j.next_attempt_at, j.id
        LIMIT 1
        """

    /// Takes a claim; public so the benchmark's raw reference runs the very same statement.
    public static let takeClaim = """
        UPDATE jobs SET claim_token = ?, lease_expires_at = ?, claim_host = ?, claim_pid = ?, claim_process_start = ?,
          updated_at = ? WHERE id = ?
        """

    /// What ends a claim, in every write that ends one.
    static let endClaim =
        "claim_token = NULL, lease_expires_at = NULL, claim_host = NULL, claim_pid = NULL, claim_process_start = NULL"

    public func claim(by holder: ClaimHolder, now: Double, leaseSeconds: Double) async throws -> Claim? {
        let token = UUID().uuidString
        return try await database.write { db in
            guard let row = try db.row("SELECT \(Job.columns) " + Self.claimableJob, [now, now, now, now]) else { return nil }
            let job = try Job(row: row)
            let expiresAt = now + leaseSeconds
            try db.run(
                Self.takeClaim,
                [token, expiresAt, holder.host, Int(holder.pid), holder.processStart, now, job.id])
            let oldest = try db.row(
                "SELECT MIN(id) AS first FROM jobs WHERE mod = ? AND state IN ('queued', 'added')", [job.mod])?.int("first")
            return Claim(token: token, job: job, expiresAt: expiresAt, addAhead: oldest.map(Int64.init) != job.id)
        }
    }

    public func confirm(_ claim: Claim, now: Double, leaseSeconds: Double) async throws -> Claim? {
        try await database.write { db in
            guard try Self.extend(claim, db, now: now, leaseSeconds: leaseSeconds) else { return nil }
            var confirmed = claim
            confirmed.expiresAt = now + leaseSeconds
            return confirmed
        }
    }

    /// Notes, inside the caller's transaction, that an upload request for the job is about to go.
    static func markUploadSent(_ claim: Claim, _ db: Connection) throws {
        try db.run("UPDATE jobs SET upload_sent = 1 WHERE id = ? AND claim_token = ?", [claim.job.id, claim.token])
    }

    /// Extends the claim's lease to `now + leaseSeconds` inside the caller's transaction, if the
    /// job still carries its token, is open and the lease has not ended. Returns whether it did.
    static func extend(_ claim: Claim, _ db: Connection, now: Double, leaseSeconds: Double) throws -> Bool {
        try db.run(
            """
            UPDATE jobs SET lease_expires_at = ?
            WHERE id = ? AND claim_token = ? AND state IN ('queued', 'added') AND lease_expires_at > ?
            """, [now + leaseSeconds, claim.job.id, claim.token, now])
        return db.changes == 1
    }

    /// Applies `set` to the claimed job, only if the claim, its expected state and its lease
    /// still hold, and logs the transition, in one transaction.
    private func transition(
        _ claim: Claim, from expected: JobState? = nil, to newState: JobState?, reason: String, now: Double, endsClaim: Bool,
        set: String, _ values: [any SQLiteBindable],
        also: (@Sendable (Connection) throws -> Void)? = nil
    ) async throws -> Claim {
        // The write's own expected state, else whatever state the claim last wrote.
        let from = expected ?? claim.job.state
        let assignments = [set, "updated_at = ?", endsClaim ? Self.endClaim : ""].filter { !$0.isEmpty }
        try await database.write { db in
            try db.run(
                """
                UPDATE jobs SET \(assignments.joined(separator: ", "))
                WHERE id = ? AND claim_token = ? AND state = ? AND lease_expires_at > ?
                """, values + [now, claim.job.id, claim.token, from.rawValue, now])
            guard db.changes == 1 else { throw ClaimLost(jobID: claim.job.id) }
            try also?(db)
            try Self.appendEvent(db, jobID: claim.job.id, from: from.rawValue, to: (newState ?? from).rawValue, reason: reason, now: now)
        }
        var changed = claim
        if let newState { changed.job.state = newState }
        return changed
    }

    static func appendEvent(_ db: Connection, jobID: Int64, from: String?, to: String, reason: String, now: Double) throws {
        try db.run(
            "INSERT INTO job_events (job_id, at, from_state, to_state, reason) VALUES (?, ?, ?, ?, ?)",
            [jobID, now, from, to, reason])
    }

    public func recordAdded(_ claim: Claim, uploadURL: URL, now: Double) async throws -> Claim {
        var added = try await transition(
            claim, from: .queued, to: .added, reason: "add succeeded; upload_url stored", now: now, endsClaim: false,
            set: "state = 'added', upload_url = ?, last_error_code = NULL, last_error_message = NULL",
            [uploadURL.absoluteString])
        if case .upload(var upload) = added.job.work {
            upload.uploadURL = uploadURL
            added.job.work = .upload(upload)
        }
        return added
    }

    public func recordUploaded(_ claim: Claim, image: PortalImage, reason: String, now: Double) async throws {
        try await recordDone(claim, expecting: .added, image: image, reason: reason, now: now)
    }

    public func recordFoundInGallery(_ claim: Claim, image: PortalImage, reason: String, now: Double) async throws {
        try await recordDone(claim, expecting: claim.job.state, image: image, reason: reason, now: now)
    }

    private func recordDone(_ claim: Claim, expecting: JobState, image: PortalImage, reason: String, now: Double) async throws {
        let (mod, path, jobID) = (claim.job.mod, claim.job.upload?.path, claim.job.id)
        _ = try await transition(
            claim, from: expecting, to: .done, reason: reason, now: now, endsClaim: true,
            set: """
                state = 'done', result_image_id = ?, upload_url = NULL, last_error_code = NULL,
                last_error_message = NULL, finished_at = ?
                """, [image.id, now]
        ) { db in
            try db.run(
                """
                INSERT INTO images (mod, image_id, url, thumbnail, file_path, uploaded_at, job_id)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [mod, image.id, image.url, image.thumbnail, path, now, jobID])
            try GalleryLog.appendUploaded(db, mod: mod, imageID: image.id, job: jobID, now: now)
        }
    }

    public func recordReordered(_ claim: Claim, gallery: [String], removed: [String], now: Double) async throws {
        let (mod, jobID) = (claim.job.mod, claim.job.id)
        _ = try await transition(
            claim, from: .queued, to: .done, reason: "edit succeeded; gallery set", now: now, endsClaim: true,
            set: "state = 'done', last_error_code = NULL, last_error_message = NULL, finished_at = ?", [now]
        ) { db in
            try GalleryLog.appendEdited(db, mod: mod, gallery: gallery, removed: removed, job: jobID, now: now)
        }
    }

    public func galleryModel(mod: String) async throws -> GalleryModel {
        try await database.read { db in try GalleryLog.model(db, mod: mod) }
    }

    public func restartUpload(_ claim: Claim, reason: String, now: Double) async throws {
        _ = try await transition(
            claim, from: .added, to: .queued, reason: reason, now: now, endsClaim: true,
            set: "state = 'queued', upload_url = NULL, readd_count = readd_count + 1", [])
    }

    public func scheduleRetry(_ claim: Claim, retryAt: Double, failure: JobFailure, now: Double) async throws {
        _ = try await transition(
            claim, to: nil, reason: "\(failure.description); retry at \(Timestamps.format(retryAt))", now: now,
            endsClaim: true,
            set: "attempts = attempts + 1, next_attempt_at = ?, last_error_code = ?, last_error_message = ?",
            [retryAt, failure.code.rawValue, failure.message])
    }

    public func fail(_ claim: Claim, failure: JobFailure, now: Double) async throws {
        _ = try await transition(
            claim, to: .failed, reason: failure.description, now: now, endsClaim: true,
            set: "state = 'failed', last_error_code = ?, last_error_message = ?, finished_at = ?",
            [failure.code.rawValue, failure.message, now])
    }

    public func release(_ claim: Claim, reason: String, now: Double) async throws {
        _ = try await transition(claim, to: nil, reason: reason, now: now, endsClaim: true, set: "", [])
    }

    public func failOtherOpenJobs(of claim: Claim, failure: JobFailure, now: Double) async throws -> [Int64] {
        let (mod, jobID) = (claim.job.mod, claim.job.id)
        return try await database.write { db in
            let rows = try db.rows(
                """
                SELECT id, state FROM jobs WHERE mod = ? AND id <> ? AND state IN ('queued', 'added')
                  AND (claim_token IS NULL OR lease_expires_at <= ?)
                """, [mod, jobID, now])
            var failed: [Int64] = []
            for row in rows {
                guard let id = row.int("id").map(Int64.init), let from = row.string("state") else { continue }
                try db.run(
                    """
                    UPDATE jobs SET state = 'failed', last_error_code = ?, last_error_message = ?, finished_at = ?,
                      updated_at = ?, \(Self.endClaim) WHERE id = ?
                    """, [failure.code.rawValue, failure.message, now, now, id])
                try Self.appendEvent(db, jobID: id, from: from, to: "failed", reason: failure.description, now: now)
                failed.append(id)
            }
            return failed
        }
    }

    public func releaseClaimsOfDeadProcesses(on host: String, probe: any ProcessProbe, now: Double) async throws -> [Int64] {
        try await database.write { db in
            var freed: [Int64] = []
            let rows = try db.rows(
                """
                SELECT id, state, claim_token, claim_pid, claim_process_start FROM jobs INDEXED BY jobs_claims
                WHERE claim_host = ? AND claim_token IS NOT NULL AND state IN ('queued', 'added') AND lease_expires_at > ?
                """, [host, now])
            for row in rows {
                guard let id = row.int("id").map(Int64.init), let state = row.string("state"),
                    let token = row.string("claim_token"), let pid = row.int("claim_pid").flatMap({ Int32(exactly: $0) })
                else { continue }
                let start = row.int("claim_process_start").map(Int64.init)
                guard !probe.isRunning(pid: pid, startedAt: start) else { continue }
                try db.run(
                    "UPDATE jobs SET \(Self.endClaim), updated_at = ? WHERE id = ? AND claim_token = ?", [now, id, token])
                try Self.appendEvent(
                    db, jobID: id, from: state, to: state,
                    reason: "claim of \(host) pid \(pid) released: that process is gone", now: now)
                freed.append(id)
            }
            return freed
        }
    }

    public func openWork(now: Double) async throws -> OpenWork {
        try await database.read { db in
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

    public func dependencies(ofJob jobID: Int64) async throws -> [(job: Int64, state: JobState)] {
        let rows = try await database.read { db in
            try db.rows(
                """
                SELECT d.depends_on AS job, j.state FROM job_dependencies AS d JOIN jobs AS j ON j.id = d.depends_on
                WHERE d.job_id = ? ORDER BY d.depends_on
                """, [jobID])
        }
        return rows.compactMap { row in
            guard let job = row.int("job"), let state = row.string("state").flatMap(JobState.init(rawValue:)) else {
                return nil
            }
            return (Int64(job), state)
        }
    }

    public func raiseSignal(_ signal: WorkerSignal, detail: String, now: Double) async throws {
        try await database.write { db in
            try db.run(
                """
                INSERT INTO worker_signals (name, at, detail) VALUES (?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET at = excluded.at, detail = excluded.detail
                """, [signal.rawValue, now, detail])
        }
    }

    public func clearSignal(_ signal: WorkerSignal, raisedBefore: Double) async throws {
        try await database.write { db in
            try db.run("DELETE FROM worker_signals WHERE name = ? AND at < ?", [signal.rawValue, raisedBefore])
        }
    }

    public func signal(_ signal: WorkerSignal) async throws -> (at: Double, detail: String)? {
        let row = try await database.read { db in
            try db.row("SELECT at, detail FROM worker_signals WHERE name = ?", [signal.rawValue])
        }
        guard let row, let at = row.double("at") else { return nil }
        return (at, row.string("detail") ?? "")
    }
}
