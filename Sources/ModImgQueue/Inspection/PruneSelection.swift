/// The states a job ends in: the only ones `prune` removes.
public enum FinishedState: String, Sendable, CaseIterable {
    case done, failed, cancelled

    public var jobState: JobState {
        switch self {
        case .done: return .done
        case .failed: return .failed
        case .cancelled: return .cancelled
        }
    }
}

/// Which finished jobs `prune` removes: every filter given must hold.
public struct PruneSelection: Sendable, Equatable {
    /// Only jobs finished longer ago than this many seconds.
    public var olderThan: Double?
    public var mod: String?
    /// Only jobs in this state (else every finished state).
    public var state: FinishedState?

    public init(olderThan: Double? = nil, mod: String? = nil, state: FinishedState? = nil) {
        self.olderThan = olderThan
        self.mod = mod
        self.state = state
    }
}

/// How many jobs of one mod in one state `prune` removed (or would remove).
public struct PrunedJobs: Sendable, Equatable {
    public let mod: String
    public let state: FinishedState
    public let count: Int

    public init(mod: String, state: FinishedState, count: Int) {
        self.mod = mod
        self.state = state
        self.count = count
    }
}
