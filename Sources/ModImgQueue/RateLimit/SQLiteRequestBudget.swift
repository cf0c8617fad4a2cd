import SQLiteStore

/// A `CellRateLimit` whose state lives in one row of `rate_limits`, updated in a write
/// transaction, so every `work` process on the database draws on one budget, across restarts.
public final class SQLiteRequestBudget: RequestBudget, @unchecked Sendable {
    private let store: SQLiteJobStore
    private let limit: CellRateLimit
    private let name: String

    public init(store: SQLiteJobStore, limit: CellRateLimit, name: String = "portal") {
        self.store = store
        self.limit = limit
        self.name = name
    }

    public func tryAcquire(now: Double) throws -> Double? {
        try store.withConnection { db in
            try db.transaction { () throws -> Double? in
                let row = try db.row(
                    "SELECT theoretical_arrival_time AS tat, paused_until FROM rate_limits WHERE name = ?", [name])
                let tat = row?.double("tat") ?? 0
                let pausedUntil = row?.double("paused_until") ?? 0
                switch limit.decide(tat: tat, pausedUntil: pausedUntil, now: now) {
                case .wait(let until):
                    return until
                case .allow(let newTAT):
                    try db.run(
                        """
                        INSERT INTO rate_limits (name, theoretical_arrival_time, paused_until) VALUES (?, ?, 0)
                        ON CONFLICT (name) DO UPDATE SET theoretical_arrival_time = excluded.theoretical_arrival_time
                        """, [name, newTAT])
                    return nil
                }
            }
        }
    }

    public func pause(until: Double) throws {
        try store.withConnection { db in
            try db.transaction {
                try db.run(
                    """
                    INSERT INTO rate_limits (name, theoretical_arrival_time, paused_until) VALUES (?, 0, ?)
                    ON CONFLICT (name) DO UPDATE SET paused_until = MAX(paused_until, excluded.paused_until)
                    """, [name, until])
            }
        }
    }
}
