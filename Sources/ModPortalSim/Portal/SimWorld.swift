/// Everything the simulator remembers; always accessed under `SimStore`'s lock.
struct SimWorld: Sendable {
    var requestCounts: [SimCall: Int] = [:]
    var rateLimited = 0
    var injectedFailures = 0
    var gallery: GalleryStore
    /// Answers each trick shaped.
    var trickCounts: [SimTrick: Int] = [:]
    var tokens = UploadTokens()
    var limiter: SlidingWindowLimiter?
    var injected: [SimCall: [CannedResponse]] = [:]
    var recorded: [RecordedRequest] = []
    var random: SplitMix64
    var faults: FaultDecider

    init(configuration: SimConfiguration) {
        random = SplitMix64(seed: configuration.seed)
        gallery = GalleryStore(
            listingLagSeconds: configuration.tricks.listingLagSeconds, listingLagReads: configuration.tricks.listingLagReads)
        faults = FaultDecider(plan: configuration.effectiveFaults, seed: configuration.seed)
        limiter = configuration.rateLimitPerSecond.map { SlidingWindowLimiter(perSecond: $0) }
    }

    var snapshot: SimState {
        var requests: [String: Int] = [:]
        for call in SimCall.allCases {
            requests[call.rawValue] = requestCounts[call] ?? 0
        }
        return SimState(
            requests: requests,
            rateLimited: rateLimited,
            injectedFailures: injectedFailures,
            galleries: gallery.galleries,
            uploadsPerImage: gallery.uploadsPerImage,
            faults: Dictionary(uniqueKeysWithValues: FaultMode.allCases.map { ($0.rawValue, faults.counts[$0] ?? 0) }),
            tricks: Dictionary(uniqueKeysWithValues: SimTrick.allCases.map { ($0.rawValue, trickCounts[$0] ?? 0) })
        )
    }
}

/// What happens to a request before its normal handling.
enum Admission: Sendable {
    /// Handle normally.
    case proceed
    /// Answer with a response queued by `injectResponse`.
    case injected(CannedResponse)
    /// Answer 429.
    case rateLimited
    /// Misbehave as the fault plan (or `failRate`) decided.
    case fault(FaultAction)
}

extension SimWorld {
    /// Records a request and decides whether it is handled normally. Requests of a portal call
    /// are counted, then take a queued injected response, else a burst-429 in progress, else face
    /// the rate limit, then the fault draw. The request is appended to `recorded` first, always.
    mutating func receive(_ request: RecordedRequest, now: ContinuousClock.Instant) -> Admission {
        recorded.append(request)
        guard let call = request.call else { return .proceed }
        requestCounts[call, default: 0] += 1

        if var queue = injected[call], !queue.isEmpty {
            let response = queue.removeFirst()
            injected[call] = queue
            limiter?.note(now)
            return .injected(response)
        }
        if let burst = faults.burstContinuation() { return .fault(burst) }
        if var window = limiter {
            guard window.hasRoom(now: now) else {
                limiter = window
                rateLimited += 1
                return .rateLimited
            }
            window.note(now)
            limiter = window
        }
        guard let fault = faults.draw(for: call) else { return .proceed }
        if fault == .internalError { injectedFailures += 1 }
        return .fault(fault)
    }
}
