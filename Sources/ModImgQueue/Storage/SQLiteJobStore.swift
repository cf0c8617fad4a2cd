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

    /// The claim statement (`ClaimRules.claimable`, binding `now`); public so the benchmark's
    /// raw reference runs the very same statement.
    public static let claimableJob = ClaimRules.claimable

    /// Takes a claim; public so the benchmark's raw reference runs the very same statement.
    public static let takeClaim = ClaimRules.take

    public func claim(by holder: ClaimHolder, now: Double, leaseSeconds: Double) async throws -> Claim? {
        let token = UUID().uuidString
        return try await database.write { db in
            guard let row = try db.row(ClaimRules.claimable, [now]) else { return nil }
            let job = try Job(row: row)
            let expiresAt = now + leaseSeconds
            try db.run(ClaimRules.take, [token, expiresAt, holder.host, Int(holder.pid), holder.processStart, now, job.id])
            return Claim(token: token, job: job, expiresAt: expiresAt, addAhead: row.int("add_ahead") == 1)
        }
    }

    public func confirm(_ claim: Claim, now: Double, leaseSeconds: Double) async throws -> Claim? {
        try await database.write { db in
            guard try ClaimRules.extend(claim, db, now: now, leaseSeconds: leaseSeconds) else { return nil }
            var confirmed = claim
            confirmed.expiresAt = now + leaseSeconds
            return confirmed
        }
    }

    /// Makes `transition` of the claimed job's row: only while the claim, its lease and the
    /// expected state (`from`, else the state the claim last wrote) hold; with `also` in the same
    /// transaction.
    private func transition(
        _ claim: Claim, from expected: JobState? = nil, _ changes: [JobChange], reason: String, now: Double,
        endsClaim: Bool = true, also: (@Sendable (Connection) throws -> Void)? = nil
    ) async throws -> Claim {
        let transition = JobTransition(
            job: claim.job.id, from: expected ?? claim.job.state, holder: .claim(token: claim.token), changes: changes,
            endsClaim: endsClaim)
        try await database.write { db in
            guard try transition.apply(db, reason: reason, now: now) else { throw ClaimLost(jobID: claim.job.id) }
            try also?(db)
        }
        var changed = claim
        changed.job.state = transition.to
        return changed
    }

    public func recordAdded(_ claim: Claim, uploadURL: URL, now: Double) async throws -> Claim {
        var added = try await transition(
            claim, from: .queued, [.state(.added), .uploadURL(uploadURL), .clearFailure],
            reason: "add succeeded; upload_url stored", now: now, endsClaim: false)
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
            claim, from: expecting, [.state(.done), .resultImage(image.id), .uploadURL(nil), .clearFailure, .finished(at: now)],
            reason: reason, now: now
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
            claim, from: .queued, [.state(.done), .clearFailure, .finished(at: now)], reason: "edit succeeded; gallery set",
            now: now
        ) { db in
            try GalleryLog.appendEdited(db, mod: mod, gallery: gallery, removed: removed, job: jobID, now: now)
        }
    }

    public func galleryModel(mod: String) async throws -> GalleryModel {
        try await database.read { [database] db in try database.galleryModels.model(db, mod: mod) }
    }

    public func restartUpload(_ claim: Claim, reason: String, now: Double) async throws {
        _ = try await transition(claim, from: .added, [.state(.queued), .uploadURL(nil), .readdOnceMore], reason: reason, now: now)
    }

    public func scheduleRetry(_ claim: Claim, retryAt: Double, failure: JobFailure, now: Double) async throws {
        _ = try await transition(
            claim, [.attemptSpent(retryAt: retryAt), .failure(failure)],
            reason: "\(failure.description); retry at \(Timestamps.format(retryAt))", now: now)
    }

    public func fail(_ claim: Claim, failure: JobFailure, now: Double) async throws {
        _ = try await transition(
            claim, [.state(.failed), .failure(failure), .finished(at: now)], reason: failure.description, now: now)
    }

    public func release(_ claim: Claim, reason: String, now: Double) async throws {
        _ = try await transition(claim, [], reason: reason, now: now)
    }

    public func failOtherOpenJobs(of claim: Claim, failure: JobFailure, now: Double) async throws -> [Int64] {
        let (mod, jobID) = (claim.job.mod, claim.job.id)
        return try await database.write { db in
            let rows = try db.rows(
                "SELECT id, state FROM jobs INDEXED BY jobs_open_by_mod WHERE mod = ? AND id <> ? AND \(JobSQL.isOpen())",
                [mod, jobID])
            var failed: [Int64] = []
            for row in rows {
                guard let id = row.int("id").map(Int64.init), let from = row.string("state").flatMap(JobState.init(rawValue:))
                else { continue }
                let transition = JobTransition(
                    job: id, from: from, holder: .nobody, changes: [.state(.failed), .failure(failure), .finished(at: now)],
                    endsClaim: true)
                if try transition.apply(db, reason: failure.description, now: now) { failed.append(id) }
            }
            return failed
        }
    }

    public func releaseClaimsOfDeadProcesses(on host: String, probe: any ProcessProbe, now: Double) async throws -> [Int64] {
        try await database.write { db in
            var freed: [Int64] = []
            for row in try db.rows(ClaimRules.liveClaimsOfHost, [host, now]) {
                guard let id = row.int("id").map(Int64.init), let state = row.string("state").flatMap(JobState.init(rawValue:)),
                    let token = row.string("claim_token"), row.int("claim_pid") != nil
                else { continue }
                let holder = ClaimRules.holder(row)
                guard !probe.isRunning(pid: holder.pid, startedAt: holder.processStart) else { continue }
                let transition = JobTransition(job: id, from: state, holder: .deadClaim(token: token), changes: [], endsClaim: true)
                if try transition.apply(db, reason: "claim of \(holder.description) released: that process is gone", now: now) {
                    freed.append(id)
                }
            }
            return freed
        }
    }

    public func openWork(now: Double) async throws -> OpenWork {
        try await database.read { db in
            let open = try db.row(
                "SELECT COALESCE(SUM(n), 0) AS open FROM job_counts WHERE \(JobSQL.isOpen())")
            // Only each mod's head can run next (or make its add ahead); the others wait behind it.
            let next = try db.row("SELECT MIN(ready_at) AS next_at FROM mod_heads")
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
