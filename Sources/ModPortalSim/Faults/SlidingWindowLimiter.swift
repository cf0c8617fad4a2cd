/// Admits at most `limit` events per sliding second. A limit below 1 per second widens the
/// window to 1/limit seconds with room for one event, so any positive limit lets requests through.
struct SlidingWindowLimiter: Sendable {
    private let window: Duration
    private let capacity: Int
    private var admitted: [ContinuousClock.Instant] = []

    init(perSecond limit: Double) {
        let safeLimit = limit.isFinite && limit > 0 ? limit : 1
        let seconds = max(1, 1 / safeLimit)
        window = .milliseconds(Int64((seconds * 1000).rounded()))
        capacity = max(1, Int((safeLimit * seconds).rounded(.down)))
    }

    /// Whether another event fits in the window ending `now`.
    mutating func hasRoom(now: ContinuousClock.Instant) -> Bool {
        admitted.removeAll { now - $0 >= window }
        return admitted.count < capacity
    }

    mutating func note(_ now: ContinuousClock.Instant) {
        admitted.append(now)
    }
}
