/// Which faults the simulator injects into API requests, and how often.
///
/// One fault at most per request, chosen by a single uniform draw `u` in 0..<1 from the
/// simulator's fault generator (a SplitMix64 stream derived from `SimConfiguration.seed`, apart
/// from the one behind upload URLs). The modes' probabilities are laid end to end as bands in
/// `FaultMode.allCases` order (reset, internal-error, html-error, truncated, slow, burst-429,
/// lost-upload, drip, html-404); the band holding `u` is the fault. Thus each mode fires with exactly its own
/// probability while they sum to 1 or less; beyond 1, the later bands are cut off. A band whose
/// mode does not apply to the request (lost-upload on anything but an upload, html-404 on
/// anything but a listing) means no fault.
///
/// A draw is taken for every API request of `calls`, except those answered by an injected
/// response (`PortalSimulator.injectResponse`), a burst in progress or the rate limit, and none
/// at all while every probability is 0. So the same seed and the same sequence of requests
/// replay the same faults.
public struct FaultPlan: Sendable, Equatable {
    /// Mode -> probability (0...1) per request; absent modes never fire.
    public var probabilities: [FaultMode: Double]
    /// How long a `slow` answer is held back.
    public var slowMilliseconds: Int
    /// How many API requests after the one that starts a `burst-429` also get 429.
    public var burstLength: Int
    /// The calls whose requests may draw a fault (a burst, once started, hits every call).
    public var calls: Set<SimCall>

    public init(
        _ probabilities: [FaultMode: Double] = [:],
        slowMilliseconds: Int = 3000,
        burstLength: Int = 5,
        calls: Set<SimCall> = Set(SimCall.allCases)
    ) {
        self.probabilities = probabilities
        self.slowMilliseconds = slowMilliseconds
        self.burstLength = burstLength
        self.calls = calls
    }

    /// The probability of `mode`, clamped to 0...1 (0 when unset or not a number).
    public subscript(mode: FaultMode) -> Double {
        get {
            guard let value = probabilities[mode], value.isFinite else { return 0 }
            return min(1, max(0, value))
        }
        set { probabilities[mode] = newValue }
    }

    /// Whether no mode can fire.
    public var isEmpty: Bool {
        FaultMode.allCases.allSatisfy { self[$0] == 0 }
    }
}
