import Foundation

/// The `status --json` shape.
public struct StatusJSON: Encodable, Sendable {
    public struct Mod: Encodable, Sendable {
        let mod: String
        let counts: StateCounts
        let waiting: Int
        let lastError: String?
        let nextRetryAt: Double?

        enum Keys: String, CodingKey {
            case mod, queued, added, done, failed, cancelled, last_error, next_retry_at, waiting_on_dependencies
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(mod, forKey: .mod)
            try container.encode(counts.queued, forKey: .queued)
            try container.encode(counts.added, forKey: .added)
            try container.encode(counts.done, forKey: .done)
            try container.encode(counts.failed, forKey: .failed)
            try container.encode(counts.cancelled, forKey: .cancelled)
            try container.encode(waiting, forKey: .waiting_on_dependencies)
            try container.encode(lastError, forKey: .last_error)
            try container.encode(nextRetryAt.map(Timestamps.format), forKey: .next_retry_at)
        }
    }

    public struct Held: Encodable, Sendable {
        let job: Int64
        let mod: String
        let holder: String
        let until: String
    }

    public struct KeyRefused: Encodable, Sendable {
        let at: String
        let detail: String
    }

    let database: String
    let total: StateCounts
    let mods: [Mod]
    let held: [Held]
    let portalPausedUntil: String?
    let keyRefused: KeyRefused?

    enum CodingKeys: String, CodingKey {
        case database, total, mods, held
        case portalPausedUntil = "portal_paused_until"
        case keyRefused = "key_refused"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(database, forKey: .database)
        try container.encode(keyRefused, forKey: .keyRefused)
        try container.encode(total, forKey: .total)
        try container.encode(mods, forKey: .mods)
        try container.encode(held, forKey: .held)
        try container.encode(portalPausedUntil, forKey: .portalPausedUntil)
    }

    public init(_ status: QueueStatus, database: String) {
        self.database = database
        keyRefused = status.keyRefused.map { KeyRefused(at: Timestamps.format($0.at), detail: $0.detail) }
        held = status.held.map { Held(job: $0.job, mod: $0.mod, holder: $0.holder.description, until: Timestamps.format($0.until)) }
        portalPausedUntil = status.portalPausedUntil.map(Timestamps.format)
        total = status.total
        mods = status.mods.map { Mod(
                mod: $0.mod, counts: $0.counts, waiting: $0.waitingOnDependencies, lastError: $0.lastError?.description,
                nextRetryAt: $0.nextRetryAt) }
    }
}
