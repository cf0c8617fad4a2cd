/// What `verify` found for one mod: its drift, or why its gallery could not be compared.
/// Each mod's result stands on its own; `exitStatus` ranks them, and the command exits with
/// the worst.
public struct ModVerification: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// The listing was read and compared.
        case compared(GalleryDrift)
        /// The portal answered its own "not found": there is no such mod.
        case unknownMod
        /// The listing stayed unreadable after `attempts` tries; `reason` is the last answer.
        case unreadable(reason: String, attempts: Int)
    }

    public let mod: String
    public var outcome: Outcome
    /// The local file each image of the drift was uploaded from, where the history knows it.
    public var files: [String: String] = [:]
    /// The commands that bring a drifted gallery back; nil when in sync or not compared.
    public var repair: DriftRepair?
    /// How many transient failures were retried before the listing read that counted.
    public var retries = 0

    public init(mod: String, outcome: Outcome, files: [String: String] = [:], retries: Int = 0) {
        self.mod = mod
        self.outcome = outcome
        self.files = files
        self.retries = retries
    }

    public var drift: GalleryDrift? {
        if case .compared(let drift) = outcome { return drift }
        return nil
    }

    public var inSync: Bool { drift?.inSync == true }

    /// 0 in sync, 1 drifted, 2 cannot tell (unknown mod, unreadable listing).
    public var exitStatus: Int32 {
        switch outcome {
        case .compared(let drift): drift.inSync ? 0 : 1
        case .unknownMod, .unreadable: 2
        }
    }
}
