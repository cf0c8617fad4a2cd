import ArgumentParser
import Foundation
import ModImgQueue
import ModPortal

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show how many jobs are in each state, overall and per mod, with each mod's last error.")

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "Only this mod.", completion: .modNames)
    var mod: String?

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    @Flag(name: .long, help: "Only mods with failed jobs.")
    var failed = false

    @Flag(name: .long, help: "Show every column whole, even wider than the terminal.")
    var wide = false

    func run() async throws {
        try await Terminal.reportingErrors(database: database) {
            let now = Date().timeIntervalSince1970
            var status = try await QueueQueries(database: try database.openExisting()).status(mod: mod, now: now)
            if failed { status.mods.removeAll { $0.counts.failed == 0 } }
            if json {
                try Terminal.printJSON(StatusJSON(status, database: database.path))
            } else {
                print(render(status, now: now))
            }
        }
    }

    private func render(_ status: QueueStatus, now: Double) -> String {
        let c = status.total
        var lines = [
            "queue: \(database.path)",
            "jobs: \(c.queued) queued, \(c.added) added, \(c.done) done, \(c.failed) failed, \(c.cancelled) cancelled",
        ]
        if let refused = status.keyRefused {
            lines.append(
                "the portal refused the API key at \(Timestamps.format(refused.at)) (\(refused.detail)): set a key with the ModPortal: Edit Mods usage (MOD_EDIT_API_KEY or --api-key-file) and run work again.")
        }
        if status.waitingOnDependencies > 0 {
            lines.append("\(status.waitingOnDependencies) queued job\(status.waitingOnDependencies == 1 ? "" : "s") waiting on uploads they depend on")
        }
        if let paused = status.portalPausedUntil {
            lines.append("the portal asked for a pause: no request is sent before \(Timestamps.format(paused)) (in \((paused - now).wholeClamped()) s)")
        }
        for holder in Dictionary(grouping: status.held, by: \.holder.description).sorted(by: { $0.key < $1.key }) {
            let jobs = holder.value.map { "\($0.job)" }.joined(separator: ", ")
            let until = holder.value.map(\.until).max().map(Timestamps.format) ?? "-"
            lines.append(
                "worker \(holder.key) holds \(holder.value.count) job\(holder.value.count == 1 ? "" : "s") (\(jobs)) until \(until)")
        }
        if let next = status.nextRetryAt {
            lines.append("next retry: \(Timestamps.format(next)) (in \((next - now).wholeClamped()) s)")
        }
        guard !status.mods.isEmpty else {
            lines.append(failed ? "no mod has failed jobs." : mod == nil ? "the queue is empty." : "no jobs for \(mod ?? "").")
            return lines.joined(separator: "\n")
        }
        var rows = [["MOD", "QUEUED", "WAITING", "ADDED", "DONE", "FAILED", "CANCELLED", "NEXT RETRY", "LAST ERROR"]]
        for m in status.mods {
            rows.append([
                m.mod, "\(m.counts.queued)", "\(m.waitingOnDependencies)", "\(m.counts.added)", "\(m.counts.done)", "\(m.counts.failed)",
                "\(m.counts.cancelled)", m.nextRetryAt.map(Timestamps.format) ?? "-", m.lastError?.description ?? "-",
            ])
        }
        lines.append("")
        lines.append(
            Terminal.table(rows, maxWidth: Terminal.tableWidth(wide: wide), shrinkable: [0, 7, 8], droppable: [1, 2, 3, 4, 5, 6, 7]))
        return lines.joined(separator: "\n")
    }
}
