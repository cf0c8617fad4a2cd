import Foundation
import SQLiteStore

/// Every rule about claims, in one place: which job may be claimed next, how a claim is taken,
/// kept, ended and checked. A claim's token is unique to it; every write about a claimed job
/// requires the token, the state it expects and an unexpired lease (see `JobTransition`).
///
/// The rules: one job of a mod at a time — its oldest open job (its head), once its backoff has
/// ended and no lease on any open job of the mod lives — except that the queued upload right
/// after the head may make its `add` ahead while the head, an added upload, is under a live
/// claim (at most one `add` ahead per mod). A job whose dependencies are not all finished waits.
/// Mods take turns: of the heads that may run, the one whose mod's last claim ended longest ago
/// (or that never ran) goes first, so every mod moves on and a night's mods finish together
/// instead of one after another with the last ones alone at the end.
/// `mod_heads` (migration 0011) keeps each mod's head and the times these rules allow it, so a
/// claim reads one index entry: its cost does not grow with the queue.
enum ClaimRules {
    /// The next runnable job: the columns of `Job.columns` and `add_ahead`, binding `now` (once,
    /// as `?1`). Public through `SQLiteJobStore.claimableJob` so the benchmark's raw reference
    /// runs the very same statement. Each branch walks its index from the start and stops at the
    /// first head that may run: one entry in the usual case, whatever the size of the queue.
    static let claimable = """
        SELECT \(Job.columns), c.add_ahead FROM (
          SELECT * FROM (
            SELECT h.head AS candidate, MAX(h.ready_at, h.turn) AS ready, 0 AS add_ahead
            FROM mod_heads AS h INDEXED BY mod_heads_turns
            CROSS JOIN jobs AS w ON w.id = h.head
            WHERE h.ready_at <= ?1 AND w.open_dependencies = 0
            ORDER BY MAX(h.ready_at, h.turn), h.head LIMIT 1)
          UNION ALL
          SELECT * FROM (
            SELECT h.ahead, h.ahead_at, 1 FROM mod_heads AS h INDEXED BY mod_heads_ahead
            CROSS JOIN jobs AS w ON w.id = h.ahead
            WHERE h.ahead_at <= ?1 AND h.head_lease > ?1 AND w.open_dependencies = 0
            ORDER BY h.ahead_at, h.ahead LIMIT 1)
        ) AS c CROSS JOIN jobs ON jobs.id = c.candidate
        ORDER BY c.ready, c.candidate LIMIT 1
        """

    /// Takes a claim: token, lease end, host, pid, process start, now, job id.
    static let take = """
        UPDATE jobs SET claim_token = ?, lease_expires_at = ?, claim_host = ?, claim_pid = ?, claim_process_start = ?,
          updated_at = ? WHERE id = ?
        """

    /// What ends a claim, in every write that ends one.
    static let endClaim =
        "claim_token = NULL, lease_expires_at = NULL, claim_host = NULL, claim_pid = NULL, claim_process_start = NULL"

    /// Extends the claim's lease to `now + leaseSeconds` inside the caller's transaction, if the
    /// job still carries its token, is open and the lease has not ended. Returns whether it did.
    static func extend(_ claim: Claim, _ db: Connection, now: Double, leaseSeconds: Double) throws -> Bool {
        try db.run(
            """
            UPDATE jobs SET lease_expires_at = ?
            WHERE id = ? AND claim_token = ? AND \(JobSQL.isOpen()) AND lease_expires_at > ?
            """, [now + leaseSeconds, claim.job.id, claim.token, now])
        return db.changes == 1
    }

    /// Notes, inside the caller's transaction, that an upload request for the job is about to go.
    static func markUploadSent(_ claim: Claim, _ db: Connection) throws {
        try db.run("UPDATE jobs SET upload_sent = 1 WHERE id = ? AND claim_token = ?", [claim.job.id, claim.token])
    }

    /// Computes `mod`'s row of `mod_heads` again (the triggers do this for every update and
    /// delete; the code that inserts jobs calls it once per mod of its batch).
    static func refreshHead(_ db: Connection, mod: String) throws {
        try db.run(
            """
            INSERT INTO mod_heads (mod, head, ready_at, ahead, ahead_at, head_lease) \(headOfMod)
            ON CONFLICT (mod) DO UPDATE SET head = excluded.head, ready_at = excluded.ready_at, ahead = excluded.ahead,
              ahead_at = excluded.ahead_at, head_lease = excluded.head_lease
            """, [mod])
    }

    /// `mod_heads`' row of one mod (binding the mod), as the triggers of migration 0011 compute it.
    static let headOfMod = """
        SELECT mod, head, ready_at, ahead, ahead_at, head_lease FROM mod_head_candidates
        WHERE head = (SELECT MIN(k.id) FROM jobs AS k WHERE k.mod = ? AND \(JobSQL.isOpen("k")))
        """

    /// The columns `liveHolder` reads.
    static let holderColumns = "claim_token, lease_expires_at, claim_host, claim_pid, claim_process_start"

    /// Who holds the job and until when, if a live claim holds it at `now`.
    static func liveHolder(_ row: Row, now: Double) -> (holder: ClaimHolder, until: Double)? {
        guard row.string("claim_token") != nil, let until = row.double("lease_expires_at"), until > now else { return nil }
        return (holder(row), until)
    }

    /// The holder recorded with a claim (host "?" and pid 0 when not recorded).
    static func holder(_ row: Row) -> ClaimHolder {
        ClaimHolder(
            host: row.string("claim_host") ?? "?", pid: row.int("claim_pid").flatMap { Int32(exactly: $0) } ?? 0,
            processStart: row.int("claim_process_start").map(Int64.init))
    }

    /// The open jobs under a live claim of `host` (binding host, now), to recognise dead holders.
    static let liveClaimsOfHost = """
        SELECT id, state, \(holderColumns) FROM jobs INDEXED BY jobs_claims
        WHERE claim_host = ? AND claim_token IS NOT NULL AND \(JobSQL.isOpen()) AND lease_expires_at > ?
        """
}
