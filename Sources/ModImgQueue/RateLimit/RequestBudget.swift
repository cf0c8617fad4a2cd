/// The budget every request to the portal is charged against.
public protocol RequestBudget: Sendable {
    /// Charges one request for the job `claim` holds, at `now`, only if the claim still holds:
    /// the claim is confirmed and its lease extended to `now + leaseSeconds` in the same
    /// transaction, so a request is never charged (nor sent) for a job no longer held.
    /// For an upload, the job is marked as possibly sent in that same transaction.
    func acquire(for claim: Claim, sending call: PortalCall, now: Double, leaseSeconds: Double) async throws
        -> BudgetDecision
    /// Holds every request back until `until` (the portal said `Retry-After`), at most
    /// `PortalPause.maximumSeconds` after `now`. Returns the end of the pause it stored.
    @discardableResult
    func pause(until: Double, now: Double) async throws -> Double
}

public enum BudgetDecision: Sendable, Equatable {
    /// Charged; send now. The claim's lease now ends at `leaseEndsAt`.
    case granted(leaseEndsAt: Double)
    /// Not before `until` (the rate limit, or a portal pause); the claim still holds.
    case wait(until: Double)
    /// The claim is gone: send nothing.
    case claimLost
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
