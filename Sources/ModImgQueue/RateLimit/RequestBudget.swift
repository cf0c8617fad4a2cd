/// The budget every request to the portal is charged against.
public protocol RequestBudget: Sendable {
    /// When a request may be sent: `now` if it was charged, otherwise the time to ask again.
    func tryAcquire(now: Double) throws -> Double?
    /// Holds every request back until `until` (the portal said `Retry-After`).
    func pause(until: Double) throws
}

extension RequestBudget {
    /// Waits until a request may be sent, charging it to the budget. Returns false if `shouldStop` became true.
    func acquire(clock: any WorkerClock, shouldStop: @Sendable () -> Bool) async throws -> Bool {
        while !shouldStop() {
            let now = clock.now()
            guard let retryAt = try tryAcquire(now: now) else { return true }
            await clock.sleep(seconds: min(max(retryAt - now, 0.001), 0.5))
        }
        return false
    }
}
