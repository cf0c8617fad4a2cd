/// The budget every request to the portal is charged against.
public protocol RequestBudget: Sendable {
    /// When a request may be sent: nil if it was charged at `now`, otherwise the time to ask again.
    func tryAcquire(now: Double) async throws -> Double?
    /// Holds every request back until `until` (the portal said `Retry-After`), at most
    /// `PortalPause.maximumSeconds` after `now`. Returns the end of the pause it stored.
    @discardableResult
    func pause(until: Double, now: Double) async throws -> Double
}

/// How long a portal's `Retry-After` may hold the queue back.
public enum PortalPause {
    /// One hour: a portal answering more (or `inf`, or a date in 2030) is not taken at its word.
    public static let maximumSeconds: Double = 3600

    /// `until`, capped at `maximumSeconds` after `now` (and `now` itself for anything not a finite number).
    public static func capped(_ until: Double, now: Double) -> Double {
        guard until.isFinite else { return until == .infinity ? now + maximumSeconds : now }
        return min(max(until, now), now + maximumSeconds)
    }
}
