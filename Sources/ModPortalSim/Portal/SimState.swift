/// A snapshot of what the simulator has seen and holds (also served at `GET /__sim/state`).
public struct SimState: Sendable, Codable, Equatable {
    /// Per call name ("add", "upload", "edit", "full"): every request received,
    /// including errors, 429s and injected responses.
    public var requests: [String: Int]
    /// 429s answered by the rate limit (`rateLimitPerSecond`); burst-429 faults are counted in `faults`.
    public var rateLimited: Int
    /// internal-error faults (`failRate` included) answered.
    public var injectedFailures: Int
    /// Mod -> image ids in gallery order.
    public var galleries: [String: [String]]
    /// Mod -> image id -> number of uploads of that id stored (also when a fault lost or cut the answer).
    public var uploadsPerImage: [String: [String: Int]]
    /// Fault mode name (`FaultMode.rawValue`) -> requests it hit; every mode is listed.
    /// A burst-429 counts each request answered 429 by the burst, the one that started it included.
    public var faults: [String: Int]
    /// Trick name (`SimTrick.rawValue`) -> answers it shaped; every trick is listed.
    public var tricks: [String: Int]

    public init(
        requests: [String: Int] = [:],
        rateLimited: Int = 0,
        injectedFailures: Int = 0,
        galleries: [String: [String]] = [:],
        uploadsPerImage: [String: [String: Int]] = [:],
        faults: [String: Int] = [:],
        tricks: [String: Int] = [:]
    ) {
        self.requests = requests
        self.rateLimited = rateLimited
        self.injectedFailures = injectedFailures
        self.galleries = galleries
        self.uploadsPerImage = uploadsPerImage
        self.faults = faults
        self.tricks = tricks
    }
}
