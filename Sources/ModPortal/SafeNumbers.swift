import NIOCore

/// Conversions of numbers that may come from the wire, a file or a tampered database into the
/// types the runtime needs. Swift's `Int(_: Double)` traps on NaN, infinities and anything out
/// of range; these never do.
extension Double {
    /// Seconds as whole milliseconds, clamped to `0...limit` seconds (NaN is 0, infinity is `limit`).
    public func clampedMilliseconds(limit: Double = 86_400) -> Int64 {
        let bounded = isNaN ? 0 : Swift.min(Swift.max(self, 0), limit)
        return Int64((bounded * 1000).rounded(.up))
    }

    /// Rounded by `rule` to a whole number within `-limit...limit` (NaN is 0): for showing a
    /// count of seconds that may be anything.
    public func wholeClamped(limit: Double = 1e12, rule: FloatingPointRoundingRule = .up) -> Int {
        guard !isNaN else { return 0 }
        return Int(Swift.min(Swift.max(self, -limit), limit).rounded(rule))
    }
}

extension Duration {
    /// `seconds` as a duration, clamped to `0...limit` (NaN is 0, infinity is `limit`).
    public static func clamped(seconds: Double, limit: Double = 86_400) -> Duration {
        .milliseconds(seconds.clampedMilliseconds(limit: limit))
    }
}

extension TimeAmount {
    /// `seconds` as a NIO time amount, clamped to `0...limit` (NaN is 0, infinity is `limit`).
    public static func clamped(seconds: Double, limit: Double = 86_400) -> TimeAmount {
        .milliseconds(seconds.clampedMilliseconds(limit: limit))
    }
}
