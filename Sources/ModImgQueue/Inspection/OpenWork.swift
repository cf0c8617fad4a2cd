import Foundation

/// The work left in a queue, as a run sees it when it starts: for its count and its ETA.
public struct OpenWorkEstimate: Sendable, Equatable {
    /// Jobs queued or added.
    public var jobs = 0
    /// Requests they need if nothing fails: two per upload still to add, one per upload added,
    /// one per reorder (two when it reads the gallery first).
    public var requests = 0
    /// What a run picks up where an earlier one stopped: uploads whose `add` succeeded and
    /// whose upload was never sent; uploads sent before a stop, checked against the listing
    /// first; jobs with failed attempts, retrying; jobs waiting on uploads they depend on.
    public var addedNotSent = 0
    public var sentUnconfirmed = 0
    public var retrying = 0
    public var waitingOnUploads = 0

    /// "resuming 3 added, not sent; 1 sent before a stop, checked first; 5 retrying", or nil
    /// when nothing was started before.
    public var resumed: String? {
        let parts = [
            (addedNotSent, "added, not sent"), (sentUnconfirmed, "sent before a stop, checked first"), (retrying, "retrying"),
        ].filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }
        return parts.isEmpty ? nil : "resuming " + parts.joined(separator: "; ")
    }

    public init(jobs: Int = 0, requests: Int = 0) {
        self.jobs = jobs
        self.requests = requests
    }
}

extension QueueQueries {
    public func openWork() async throws -> OpenWorkEstimate {
        try await database.read { db in
            var estimate = OpenWorkEstimate()
            for row in try db.rows(
                """
                SELECT kind, state, keep_unlisted, upload_sent, attempts > 0 AS retried, open_dependencies > 0 AS waiting,
                    COUNT(*) AS n
                FROM jobs WHERE \(JobSQL.isOpen())
                GROUP BY kind, state, keep_unlisted, upload_sent, retried, waiting
                """, [])
            {
                let n = row.int("n") ?? 0
                estimate.jobs += n
                if row.string("state") == JobState.added.rawValue {
                    if row.int("upload_sent") == 1 { estimate.sentUnconfirmed += n } else { estimate.addedNotSent += n }
                } else if row.int("retried") == 1 {
                    estimate.retrying += n
                }
                if row.int("waiting") == 1 { estimate.waitingOnUploads += n }
                switch (row.string("kind"), row.string("state")) {
                case ("upload", "queued"): estimate.requests += 2 * n
                case ("reorder", _): estimate.requests += ((row.int("keep_unlisted") ?? 0) != 0 ? 2 : 1) * n
                default: estimate.requests += n
                }
            }
            return estimate
        }
    }

    /// Jobs cancelled at or after `since` (by `cancel`, while a run went on).
    public func cancelledCount(since: Double) async throws -> Int {
        try await database.read { db in
            try db.row("SELECT COUNT(*) AS n FROM job_events WHERE to_state = 'cancelled' AND at >= ?", [since])?.int("n") ?? 0
        }
    }
}
