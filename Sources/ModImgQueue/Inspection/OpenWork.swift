import Foundation

/// The work left in a queue, as a run sees it when it starts: for its count and its ETA.
public struct OpenWorkEstimate: Sendable, Equatable {
    /// Jobs queued or added.
    public var jobs = 0
    /// Requests they need if nothing fails: two per upload still to add, one per upload added,
    /// one per reorder (two when it reads the gallery first).
    public var requests = 0

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
                SELECT kind, state, keep_unlisted, COUNT(*) AS n FROM jobs WHERE \(JobSQL.isOpen())
                GROUP BY kind, state, keep_unlisted
                """, [])
            {
                let n = row.int("n") ?? 0
                estimate.jobs += n
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
