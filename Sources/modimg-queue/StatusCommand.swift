import ArgumentParser
import Foundation
import ModImgQueue
import ModPortal

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show how many jobs are in each state, overall and per mod, with each mod's last error.")

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "Only this mod.")
    var mod: String?

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() async throws {
        try await Terminal.reportingErrors(database: database) {
            let now = Date().timeIntervalSince1970
            let status = try await QueueQueries(database: try database.openExisting()).status(mod: mod, now: now)
            if json {
                try Terminal.printJSON(StatusJSON(status))
            } else {
                print(render(status, now: now))
            }
        }
    }

    private func render(_ status: QueueStatus, now: Double) -> String {
        let c = status.total
        var lines = [
            "jobs: \(c.queued) queued, \(c.added) added, \(c.done) done, \(c.failed) failed, \(c.cancelled) cancelled"
        ]
        if status.waitingOnDependencies > 0 {
            lines.append("\(status.waitingOnDependencies) queued job\(status.waitingOnDependencies == 1 ? "" : "s") waiting on uploads they depend on")
        }
        if let paused = status.portalPausedUntil {
            lines.append("the portal asked for a pause: no request is sent before \(Timestamps.format(paused)) (in \((paused - now).wholeClamped()) s)")
        }
        if !status.held.isEmpty {
            let first = status.held[0]
            lines.append(
                "\(status.held.count) job\(status.held.count == 1 ? "" : "s") held by a worker: job \(first.job) (\(first.mod)) by \(first.holder) until \(Timestamps.format(first.until))"
                    + (status.held.count > 1 ? " and \(status.held.count - 1) more" : ""))
        }
        if let next = status.nextRetryAt {
            lines.append("next retry: \(Timestamps.format(next)) (in \((next - now).wholeClamped()) s)")
        }
        guard !status.mods.isEmpty else {
            lines.append(mod == nil ? "the queue is empty." : "no jobs for \(mod ?? "").")
            return lines.joined(separator: "\n")
        }
        var rows = [["MOD", "QUEUED", "WAITING", "ADDED", "DONE", "FAILED", "CANCELLED", "NEXT RETRY", "LAST ERROR"]]
        for m in status.mods {
            rows.append([
                m.mod, "\(m.counts.queued)", "\(m.waitingOnDependencies)", "\(m.counts.added)", "\(m.counts.done)", "\(m.counts.failed)",
                "\(m.counts.cancelled)", m.nextRetryAt.map(Timestamps.format) ?? "-", m.lastError ?? "-",
            ])
        }
        lines.append("")
        lines.append(Terminal.table(rows))
        return lines.joined(separator: "\n")
    }
}

/// The `status --json` shape.
struct StatusJSON: Encodable {
    struct Mod: Encodable {
        let mod: String
        let counts: StateCounts
        let waiting: Int
        let lastError: String?
        let nextRetryAt: Double?

        enum Keys: String, CodingKey {
            case mod, queued, added, done, failed, cancelled, last_error, next_retry_at, waiting_on_dependencies
        }

        func encode(to encoder: any Encoder) throws {
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

    struct Held: Encodable {
        let job: Int64
        let mod: String
        let holder: String
        let until: String
    }

    let total: StateCounts
    let mods: [Mod]
    let held: [Held]
    let portalPausedUntil: String?

    enum CodingKeys: String, CodingKey {
        case total, mods, held
        case portalPausedUntil = "portal_paused_until"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(total, forKey: .total)
        try container.encode(mods, forKey: .mods)
        try container.encode(held, forKey: .held)
        try container.encode(portalPausedUntil, forKey: .portalPausedUntil)
    }

    init(_ status: QueueStatus) {
        held = status.held.map { Held(job: $0.job, mod: $0.mod, holder: $0.holder, until: Timestamps.format($0.until)) }
        portalPausedUntil = status.portalPausedUntil.map(Timestamps.format)
        total = status.total
        mods = status.mods.map { Mod(
                mod: $0.mod, counts: $0.counts, waiting: $0.waitingOnDependencies, lastError: $0.lastError,
                nextRetryAt: $0.nextRetryAt) }
    }
}
