/// A generic cell rate algorithm over one number, the theoretical arrival time (TAT).
/// Pure: the caller stores the state (in the database, so every worker shares it).
///
/// A request at `now` conforms when `tat - burstTolerance <= now`; it then moves
/// `tat` to `max(tat, now) + interval`. Over any window of length T at most
/// `burst + T / interval` requests conform.
public struct CellRateLimit: Sendable, Equatable {
    public let interval: Double
    /// How many requests may go back to back after an idle spell.
    public let burst: Int

    public init(rate: Rate, burst: Int = 1) {
        self.interval = rate.interval
        self.burst = max(1, burst)
    }

    var burstTolerance: Double { interval * Double(burst - 1) }

    public enum Decision: Sendable, Equatable {
        /// Send now; store `newTAT`.
        case allow(newTAT: Double)
        /// Do not send before `at`.
        case wait(until: Double)
    }

    /// A stored `tat` as this limit may use it: at most one burst of this rate ahead of `now`,
    /// so a slower rate used earlier (or a corrupt value) leaves no debt.
    public func admissible(tat: Double, now: Double) -> Double {
        guard tat.isFinite else { return now }
        return min(tat, now + interval * Double(burst))
    }

    /// How far beyond one burst a stored `tat` may lie and still be taken for another worker's
    /// reservation, made with a clock read a moment later than this one (each read of the clock
    /// precedes a wait for the database's lock, bounded by its busy timeout). Further is a clock
    /// stepped back since it was written.
    public static let clockSkewTolerance: Double = 60

    /// A stored `tat` as read at `now` by a worker of this rate: one that lies further ahead than
    /// a burst and the skew tolerance was written while the clock ran ahead, and is cut to one
    /// burst ahead of now, so a clock stepped back holds requests back by one burst at most.
    public func afterClockStep(tat: Double, now: Double) -> Double {
        guard tat.isFinite else { return now }
        let burstAhead = now + interval * Double(burst)
        return tat > burstAhead + Self.clockSkewTolerance ? burstAhead : tat
    }

    public func decide(tat: Double, pausedUntil: Double, now: Double) -> Decision {
        if pausedUntil > now { return .wait(until: pausedUntil) }
        let earliest = tat - burstTolerance
        if earliest > now { return .wait(until: earliest) }
        return .allow(newTAT: max(tat, now) + interval)
    }
}
