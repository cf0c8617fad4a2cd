/// How the simulated portal behaves. Every field is also a `modportal-sim` flag.
public struct SimConfiguration: Sendable {
    /// Address to bind.
    public var host = "127.0.0.1"
    /// Port to bind; 0 picks any free port.
    public var port = 0
    /// The only API key `add` and `edit` accept (as `Authorization: Bearer <apiKey>`).
    public var apiKey = "sim-api-key"
    /// Delay added before answering every request.
    public var latencyMilliseconds = 0
    /// Share (0...1) of API requests answered with a transient 500 InternalError: an alias of
    /// `faults[.internalError]` (the larger of the two applies).
    public var failRate = 0.0
    /// API requests allowed per second (sliding window); beyond it, 429 with `Retry-After: 1`.
    public var rateLimitPerSecond: Double? = nil
    /// Mods that exist; nil means every mod name exists.
    public var knownMods: Set<String>? = nil
    /// Mods that exist but whose images this key may not change (403 Forbidden).
    public var forbiddenMods: Set<String> = []
    /// How long an upload URL stays valid; nil means forever (until used).
    public var uploadURLLifetimeSeconds: Double? = nil
    /// Seed of the random generators behind `faults`, `failRate` and upload tokens.
    public var seed: UInt64 = 0
    /// Faults injected into API requests (none by default).
    public var faults = FaultPlan()
    /// Hostile habits of the real portal, each on for every request it concerns (none by default).
    public var tricks = SimTricks()

    public init() {}
}

extension SimConfiguration {
    /// `faults` with `failRate` folded into its internal-error mode.
    var effectiveFaults: FaultPlan {
        var plan = faults
        let failRate = self.failRate.isFinite ? min(1, max(0, self.failRate)) : 0
        if failRate > plan[.internalError] { plan[.internalError] = failRate }
        return plan
    }
}
