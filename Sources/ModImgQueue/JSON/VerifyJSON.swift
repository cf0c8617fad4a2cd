/// The `verify --json` shape.
public struct VerifyJSON: Encodable, Sendable {
    public let mods: [ModDriftJSON]

    public init(mods: [ModDriftJSON]) {
        self.mods = mods
    }
}

/// One mod of `verify --json`: `result` is `in_sync`, `drifted`, `unknown_mod` or `unreadable`;
/// `in_sync` is null when the gallery could not be compared; `files` maps image ids of the drift
/// to the local file each was uploaded from; `fix` is the command that brings the gallery back;
/// `lost` the expected images gone from the portal, which no command re-adds.
public struct ModDriftJSON: Encodable, Sendable {
    public let result: ModVerification
    public let fix: String?

    public init(_ result: ModVerification, fix: String?) {
        self.result = result
        self.fix = fix
    }

    enum Keys: String, CodingKey {
        case mod, result, in_sync, reason, missing_on_portal, unknown_to_history, order_differs, files, fix, lost
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(result.mod, forKey: .mod)
        let drift = result.drift
        switch result.outcome {
        case .compared(let drift): try container.encode(drift.inSync ? "in_sync" : "drifted", forKey: .result)
        case .unknownMod: try container.encode("unknown_mod", forKey: .result)
        case .unreadable: try container.encode("unreadable", forKey: .result)
        }
        try container.encode(drift?.inSync, forKey: .in_sync)
        if case .unreadable(let reason, _) = result.outcome {
            try container.encode(reason, forKey: .reason)
        } else {
            try container.encodeNil(forKey: .reason)
        }
        try container.encode(drift?.missingOnPortal ?? [], forKey: .missing_on_portal)
        try container.encode(drift?.unknownToHistory ?? [], forKey: .unknown_to_history)
        try container.encode(drift?.orderDiffers ?? false, forKey: .order_differs)
        try container.encode(result.files, forKey: .files)
        try container.encode(fix, forKey: .fix)
        try container.encode(result.repair?.lost ?? [], forKey: .lost)
    }
}
