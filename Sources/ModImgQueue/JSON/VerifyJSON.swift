/// The `verify --json` shape.
public struct VerifyJSON: Encodable, Sendable {
    public let mods: [ModDriftJSON]

    public init(mods: [ModDriftJSON]) {
        self.mods = mods
    }
}

public struct ModDriftJSON: Encodable, Sendable {
    public let drift: GalleryDrift

    public init(_ drift: GalleryDrift) {
        self.drift = drift
    }

    enum Keys: String, CodingKey { case mod, in_sync, missing_on_portal, unknown_to_history, order_differs }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(drift.mod, forKey: .mod)
        try container.encode(drift.inSync, forKey: .in_sync)
        try container.encode(drift.missingOnPortal, forKey: .missing_on_portal)
        try container.encode(drift.unknownToHistory, forKey: .unknown_to_history)
        try container.encode(drift.orderDiffers, forKey: .order_differs)
    }
}
