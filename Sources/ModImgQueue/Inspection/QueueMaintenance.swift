import Foundation
import SQLiteStore

/// `retry`, `cancel` and `prune`: changes a user makes to the queue by hand.
public struct QueueMaintenance {
    let store: SQLiteJobStore
    let now: () -> Double

    public init(store: SQLiteJobStore, now: @escaping () -> Double = { Date().timeIntervalSince1970 }) {
        self.store = store
        self.now = now
    }

    /// What a command did to each job it was asked about.
    public struct Outcome: Sendable, Equatable {
        public var changed: [Int64] = []
        /// Jobs left alone, with why.
        public var skipped: [Int64: String] = [:]
    }

    public enum Selection: Sendable {
        case jobs([Int64])
        /// Every job of the given state, optionally of one mod only.
        case all(mod: String?)
    }

    /// Puts failed jobs back in the queue with fresh attempts (an upload starts again at `add`).
    public func retry(_ selection: Selection) throws -> Outcome {
        try change(selection, from: [.failed], selectState: .failed, reason: "retry requested") { db, id, time in
            try db.run(
                """
                UPDATE jobs SET state = 'queued', upload_url = NULL, readd_count = 0, attempts = 0, next_attempt_at = 0,
                  last_error_code = NULL, last_error_message = NULL, finished_at = NULL, updated_at = ? WHERE id = ?
                """, [time, id])
            return "queued"
        }
    }

    /// Cancels jobs that have not started: queued and not held by a worker.
    public func cancel(_ selection: Selection) throws -> Outcome {
        try change(selection, from: [.queued], selectState: .queued, reason: "cancelled by request") { db, id, time in
            try db.run(
                "UPDATE jobs SET state = 'cancelled', finished_at = ?, updated_at = ? WHERE id = ? AND (lease_expires_at IS NULL OR lease_expires_at <= ?)",
                [time, time, id, time])
            return db.changes == 1 ? "cancelled" : nil
        }
    }

    /// Removes finished jobs (done, failed, cancelled) that finished before `now - age`,
    /// with their events; the image history stays. Returns how many were removed.
    public func prune(olderThan age: Double) throws -> Int {
        let cutoff = now() - age
        return try store.withConnection { db in
            try db.transaction {
                try db.run(
                    "DELETE FROM jobs WHERE state IN ('done', 'failed', 'cancelled') AND finished_at < ?", [cutoff])
                return db.changes
            }
        }
    }

    private func change(
        _ selection: Selection, from allowed: Set<JobState>, selectState: JobState, reason: String,
        apply: (Connection, Int64, Double) throws -> String?
    ) throws -> Outcome {
        let time = now()
        return try store.withConnection { db in
            try db.transaction {
                var outcome = Outcome()
                let rows: [Row]
                switch selection {
                case .jobs(let ids):
                    rows = try ids.map { id in
                        guard let row = try db.row("SELECT id, state FROM jobs WHERE id = ?", [id]) else {
                            throw QueueError.unknownJob(id)
                        }
                        return row
                    }
                case .all(let mod):
                    rows = try db.rows(
                        "SELECT id, state FROM jobs WHERE state = ? AND (? IS NULL OR mod = ?) ORDER BY id",
                        [selectState.rawValue, mod, mod])
                }
                for row in rows {
                    guard let id = row.int("id").map(Int64.init), let state = row.string("state") else { continue }
                    guard let current = JobState(rawValue: state), allowed.contains(current) else {
                        outcome.skipped[id] = "it is \(state)"
                        continue
                    }
                    guard let newState = try apply(db, id, time) else {
                        outcome.skipped[id] = "a worker is running it"
                        continue
                    }
                    try SQLiteJobStore.appendEvent(db, jobID: id, from: state, to: newState, reason: reason, now: time)
                    outcome.changed.append(id)
                }
                return outcome
            }
        }
    }
}
