import Foundation
import SQLiteStore

/// One column change a transition makes to a job row, typed: the only assignments any write
/// about a job may make.
enum JobChange: Sendable {
    case state(JobState)
    case uploadURL(URL?)
    case clearFailure
    case failure(JobFailure)
    case finished(at: Double)
    /// `finished_at` kept when set (a failed job set aside), else `at`.
    case finishedUnlessSet(at: Double)
    case unfinished
    case resultImage(String)
    /// One more attempt spent; the next from `retryAt` on.
    case attemptSpent(retryAt: Double)
    /// Back to `add` after its `upload_url` was refused.
    case readdOnceMore
    /// Attempts, re-adds and backoff from the start (a retry by hand).
    case freshAttempts

    var assignment: (sql: String, bindings: [any SQLiteBindable]) {
        switch self {
        case .state(let state): return ("state = ?", [state.rawValue])
        case .uploadURL(let url): return ("upload_url = ?", [url?.absoluteString])
        case .clearFailure: return ("last_error_code = NULL, last_error_message = NULL", [])
        case .failure(let failure): return ("last_error_code = ?, last_error_message = ?", [failure.code.rawValue, failure.message])
        case .finished(let at): return ("finished_at = ?", [at])
        case .finishedUnlessSet(let at): return ("finished_at = COALESCE(finished_at, ?)", [at])
        case .unfinished: return ("finished_at = NULL", [])
        case .resultImage(let id): return ("result_image_id = ?", [id])
        case .attemptSpent(let retryAt): return ("attempts = attempts + 1, next_attempt_at = ?", [retryAt])
        case .readdOnceMore: return ("readd_count = readd_count + 1", [])
        case .freshAttempts: return ("readd_count = 0, attempts = 0, next_attempt_at = 0", [])
        }
    }
}

/// A write about one job: made only if the job is still in the state it expects and held the
/// way it expects, in one `UPDATE`, and logged as an event in the same transaction.
struct JobTransition: Sendable {
    /// Who the write requires to hold the job.
    enum Holder: Sendable {
        /// This claim, with its lease unexpired (every write of a worker).
        case claim(token: String)
        /// This claim, whatever its lease: a holder found dead, whose claim is taken back.
        case deadClaim(token: String)
        /// No live claim (changes by hand, and the jobs failed with a mod's other jobs).
        case nobody
    }

    let job: Int64
    let from: JobState
    let holder: Holder
    let changes: [JobChange]
    /// Clears the claim (token, lease and holder) in the same statement.
    let endsClaim: Bool

    /// The state the job is in once the write is made.
    var to: JobState {
        changes.reduce(from) { state, change in
            if case .state(let new) = change { return new }
            return state
        }
    }

    /// Makes the write and logs `reason`; false, with nothing written, when the job is not in
    /// `from` or not held as `holder` says.
    func apply(_ db: Connection, reason: String, now: Double) throws -> Bool {
        var assignments = changes.map(\.assignment)
        assignments.append(("updated_at = ?", [now]))
        if endsClaim { assignments.append((ClaimRules.endClaim, [])) }
        let (guardSQL, guardBindings) = holderCondition(now: now)
        try db.run(
            "UPDATE jobs SET \(assignments.map(\.sql).joined(separator: ", ")) WHERE id = ? AND state = ? AND \(guardSQL)",
            assignments.flatMap(\.bindings) + [job, from.rawValue] + guardBindings)
        guard db.changes == 1 else { return false }
        try Self.appendEvent(db, job: job, from: from, to: to, reason: reason, now: now)
        return true
    }

    private func holderCondition(now: Double) -> (String, [any SQLiteBindable]) {
        switch holder {
        case .claim(let token): return ("claim_token = ? AND lease_expires_at > ?", [token, now])
        case .deadClaim(let token): return ("claim_token = ?", [token])
        case .nobody: return ("(claim_token IS NULL OR lease_expires_at <= ?)", [now])
        }
    }

    static func appendEvent(_ db: Connection, job: Int64, from: JobState?, to: JobState, reason: String, now: Double) throws {
        try db.run(
            "INSERT INTO job_events (job_id, at, from_state, to_state, reason) VALUES (?, ?, ?, ?, ?)",
            [job, now, from?.rawValue, to.rawValue, reason])
    }
}
