import SQLiteStore

/// A `CellRateLimit` whose state lives in one row of `rate_limits`, updated in a write
/// transaction, so every `work` process on the database draws on one budget, across restarts.
/// The stored state is read through today's rate and clock: a theoretical arrival time more than
/// one burst of the current rate ahead of now is cut to one burst ahead when it was written at a
/// slower rate, or while the clock ran ahead and has since been stepped back (further ahead than
/// `CellRateLimit.clockSkewTolerance` more); a stored pause is cut to at most
/// `PortalPause.maximumSeconds` from now. Each cut is stored, so time only moves the budget
/// forward by one burst.
public struct SQLiteRequestBudget: RequestBudget {
    let database: QueueDatabase
    let limit: CellRateLimit
    let name: String

    public init(database: QueueDatabase, limit: CellRateLimit, name: String = "portal") {
        self.database = database
        self.limit = limit
        self.name = name
    }

    public func acquire(for claim: Claim, sending call: PortalCall, now: Double, leaseSeconds: Double) async throws
        -> BudgetDecision
    {
        let (limit, name) = (self.limit, self.name)
        return try await database.write { db -> BudgetDecision in
            guard try ClaimRules.extend(claim, db, now: now, leaseSeconds: leaseSeconds) else { return .claimLost }
            if let retryAt = try Self.charge(db, limit: limit, name: name, now: now) { return .wait(until: retryAt) }
            if call == .upload { try ClaimRules.markUploadSent(claim, db) }
            return .granted(leaseEndsAt: now + leaseSeconds)
        }
    }

    /// Charges one request at `now` without a claim: nil if charged, otherwise when to ask again.
    public func tryAcquire(now: Double) async throws -> Double? {
        let (limit, name) = (self.limit, self.name)
        return try await database.write { db in try Self.charge(db, limit: limit, name: name, now: now) }
    }

    private static func charge(_ db: Connection, limit: CellRateLimit, name: String, now: Double) throws -> Double? {
        let row = try db.row(
            "SELECT theoretical_arrival_time AS tat, paused_until, interval FROM rate_limits WHERE name = ?", [name])
        let stored = row?.double("tat") ?? 0
        let storedPause = row?.double("paused_until") ?? 0
        let sameRate = row?.double("interval") == limit.interval
        let tat = sameRate ? limit.afterClockStep(tat: stored, now: now) : limit.admissible(tat: stored, now: now)
        let pausedUntil = storedPause.isFinite && storedPause <= now ? storedPause : PortalPause.capped(storedPause, now: now)
        if row != nil, !sameRate || tat != stored || pausedUntil != storedPause {
            // Cut once and kept (with today's interval), so the allowance does not slide forward with `now`.
            try db.run(
                "UPDATE rate_limits SET theoretical_arrival_time = ?, paused_until = ?, interval = ? WHERE name = ?",
                [tat, pausedUntil, limit.interval, name])
        }
        switch limit.decide(tat: tat, pausedUntil: pausedUntil, now: now) {
        case .wait(let until):
            return until
        case .allow(let newTAT):
            try db.run(
                """
                INSERT INTO rate_limits (name, theoretical_arrival_time, paused_until, interval) VALUES (?, ?, 0, ?)
                ON CONFLICT (name) DO UPDATE SET theoretical_arrival_time = excluded.theoretical_arrival_time
                """, [name, newTAT, limit.interval])
            try countRequest(db, now: now)
            return nil
        }
    }

    /// Counts a charged request in its minute (for the dashboard's chart), and drops minutes older
    /// than a day: a row a minute at most, whatever the queue's size.
    private static func countRequest(_ db: Connection, now: Double) throws {
        let minute = Int64((now / 60).rounded(.down))
        try db.run(
            "INSERT INTO request_minutes (minute, requests) VALUES (?, 1) ON CONFLICT (minute) DO UPDATE SET requests = requests + 1",
            [minute])
        try db.run("DELETE FROM request_minutes WHERE minute < ?", [minute - 24 * 60])
    }

    @discardableResult
    public func pause(until: Double, now: Double) async throws -> Double {
        let (name, capped) = (self.name, PortalPause.capped(until, now: now))
        try await database.write { db in
            // A stored pause longer than the cap (from an older version) is cut down too.
            try db.run(
                """
                INSERT INTO rate_limits (name, theoretical_arrival_time, paused_until) VALUES (?, 0, ?)
                ON CONFLICT (name) DO UPDATE SET paused_until = MAX(MIN(paused_until, ?), excluded.paused_until)
                """, [name, capped, now + PortalPause.maximumSeconds])
        }
        return capped
    }
}
