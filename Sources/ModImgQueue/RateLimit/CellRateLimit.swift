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

    public func decide(tat: Double, pausedUntil: Double, now: Double) -> Decision {
        if pausedUntil > now { return .wait(until: pausedUntil) }
        let earliest = tat - burstTolerance
        if earliest > now { return .wait(until: earliest) }
        return .allow(newTAT: max(tat, now) + interval)
    }
}
