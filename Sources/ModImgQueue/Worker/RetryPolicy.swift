/// When to try a transiently failed job again: exponential backoff with full jitter,
/// never sooner than the portal's `Retry-After`, and a bound on attempts.
public struct RetryPolicy: Sendable, Equatable {
    public var baseDelay: Double
    public var maxDelay: Double
    public var maxAttempts: Int

    public static let `default` = RetryPolicy(baseDelay: 2, maxDelay: 600, maxAttempts: 10)

    public init(baseDelay: Double, maxDelay: Double, maxAttempts: Int) {
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxAttempts = maxAttempts
    }

    /// The delay after the `attempt`-th failure (1-based), or nil when attempts are used up.
    /// `unitRandom` is in [0, 1); the result lies in [ceiling/2, ceiling] ("equal jitter"),
    /// so backoff still grows while workers do not retry in lockstep.
    public func delay(afterAttempt attempt: Int, retryAfter: Double?, unitRandom: Double) -> Double? {
        guard attempt < maxAttempts else { return nil }
        let exponent = Double(min(max(attempt - 1, 0), 30))
        let ceiling = min(maxDelay, baseDelay * pow2(exponent))
        let jittered = ceiling / 2 + ceiling / 2 * min(max(unitRandom, 0), 1)
        return max(jittered, retryAfter ?? 0)
    }

    private func pow2(_ exponent: Double) -> Double {
        var value = 1.0
        for _ in 0..<Int(exponent) { value *= 2 }
        return value
    }
}
