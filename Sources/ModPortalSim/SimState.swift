/// A snapshot of what the simulator has seen and holds (also served at `GET /__sim/state`).
public struct SimState: Sendable, Codable, Equatable {
    /// Per call name ("add", "upload", "edit", "full"): every request received,
    /// including errors, 429s and injected responses.
    public var requests: [String: Int]
    /// 429s answered.
    public var rateLimited: Int
    /// `failRate` errors answered.
    public var injectedFailures: Int
    /// Mod -> image ids in gallery order.
    public var galleries: [String: [String]]
    /// Mod -> image id -> number of successful uploads of that id.
    public var uploadsPerImage: [String: [String: Int]]

    public init(
        requests: [String: Int] = [:],
        rateLimited: Int = 0,
        injectedFailures: Int = 0,
        galleries: [String: [String]] = [:],
        uploadsPerImage: [String: [String: Int]] = [:]
    ) {
        self.requests = requests
        self.rateLimited = rateLimited
        self.injectedFailures = injectedFailures
        self.galleries = galleries
        self.uploadsPerImage = uploadsPerImage
    }
}
