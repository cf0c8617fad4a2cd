/// A job in `jobs --json` and `log --json`: exactly `id, mod, kind, state, attempts, file, error,
/// next_attempt_at`; `log` adds the reorder's `image_ids` and `removed_ids` (null for uploads).
public struct JobJSON: Encodable, Sendable {
    public let job: JobSummary
    public var withImages = false

    public init(job: JobSummary, withImages: Bool = false) {
        self.job = job
        self.withImages = withImages
    }

    enum Keys: String, CodingKey {
        case id, mod, kind, state, attempts, file, error, next_attempt_at, image_ids, removed_ids
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(job.id, forKey: .id)
        try container.encode(job.mod, forKey: .mod)
        try container.encode(job.kind.rawValue, forKey: .kind)
        try container.encode(job.state.rawValue, forKey: .state)
        try container.encode(job.attempts, forKey: .attempts)
        try container.encode(job.file, forKey: .file)
        try container.encode(job.error, forKey: .error)
        try container.encode(job.nextAttemptAt.map(Timestamps.format), forKey: .next_attempt_at)
        guard withImages else { return }
        try container.encode(job.imageIDs, forKey: .image_ids)
        try container.encode(job.imageIDs == nil ? nil : job.excludedIDs, forKey: .removed_ids)
    }
}

/// `log --json`: the job and every state change it went through.
public struct JobLogJSON: Encodable, Sendable {
    public struct Event: Encodable, Sendable {
        let at: String
        let from: String?
        let to: String
        let reason: String

        enum Keys: String, CodingKey { case at, from, to, reason }

        /// `from` is null, not left out, for the event that queued the job.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(at, forKey: .at)
            try container.encode(from, forKey: .from)
            try container.encode(to, forKey: .to)
            try container.encode(reason, forKey: .reason)
        }
    }

    public let job: JobJSON
    public let events: [Event]
    /// What to do about a failed job (as `log`, `status --failed` and the summary say it); null otherwise.
    public let nextStep: String?

    enum CodingKeys: String, CodingKey {
        case job, events
        case nextStep = "next_step"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(job, forKey: .job)
        try container.encode(events, forKey: .events)
        try container.encode(nextStep, forKey: .nextStep)
    }

    public init(job: JobSummary, events: [JobEvent]) {
        self.nextStep = job.job.nextStep?.text
        self.job = JobJSON(job: job, withImages: true)
        self.events = events.map { Event(at: Timestamps.format($0.at), from: $0.fromState, to: $0.toState, reason: $0.reason) }
    }
}
