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
            let queries = QueueQueries(database: try database.openExisting())
            var status = try await queries.status(mod: mod, now: now)
            if failed { status.mods.removeAll { $0.counts.failed == 0 } }
            if json {
                try Terminal.printJSON(StatusJSON(status, database: database.path))
                return
            }
            print(render(status, now: now))
            let failedMods = status.mods.filter { $0.counts.failed > 0 }.map(\.mod)
            if failed, !failedMods.isEmpty {
                print("\nwhat to do:")
                let width = Terminal.tableWidth(wide: wide)
                for cause in try await queries.rootCauses(mods: failedMods) {
                    print(FailureLines.lines(cause, width: width).joined(separator: "\n"))
                }
            } else if !failedMods.isEmpty {
                let mods = failedMods.count == 1 ? "1 mod has" : "\(failedMods.count) mods have"
                print("\n\(mods) failed jobs: modimg-queue status --failed says what to do about each.")
            }
        }
    }

    private static let columns = [
        TableColumn("MOD", .name), TableColumn("QUEUED", .count), TableColumn("WAITING", .count), TableColumn("ADDED", .count),
        TableColumn("DONE", .count), TableColumn("FAILED", .count), TableColumn("CANCELLED", .count),
        TableColumn("NEXT RETRY", .text), TableColumn("LAST ERROR", .text),
    ]

    private func render(_ status: QueueStatus, now: Double) -> String {
        let c = status.total
        var lines = [
            "queue: \(database.path)",
            "jobs: \(c.queued) queued, \(c.added) added, \(c.done) done, \(c.failed) failed, \(c.cancelled) cancelled",
        ]
        if let refused = status.keyRefused {
            lines.append(
                "the portal refused the API key at \(LocalMoment.text(refused.at, now: now)) (\(refused.detail)): set a key with the ModPortal: Edit Mods usage (MOD_EDIT_API_KEY or --api-key-file) and run work again.")
        }
        if status.waitingOnDependencies > 0 {
            lines.append("\(status.waitingOnDependencies) queued job\(status.waitingOnDependencies == 1 ? "" : "s") waiting on uploads they depend on")
        }
        if let paused = status.portalPausedUntil {
            lines.append("the portal asked for a pause: no request is sent before \(LocalMoment.text(paused, now: now)) (in \((paused - now).wholeClamped()) s)")
        }
        for holder in Dictionary(grouping: status.held, by: \.holder.description).sorted(by: { $0.key < $1.key }) {
            let jobs = holder.value.map { "\($0.job)" }.joined(separator: ", ")
            let until = holder.value.map(\.until).max().map { LocalMoment.text($0, now: now) } ?? "-"
            lines.append(
                "worker \(holder.key) holds \(holder.value.count) job\(holder.value.count == 1 ? "" : "s") (\(jobs)) until \(until)")
        }
        if let next = status.nextRetryAt {
            lines.append("next retry: \(LocalMoment.text(next, now: now)) (in \((next - now).wholeClamped()) s)")
        }
        guard !status.mods.isEmpty else {
            lines.append(failed ? "no mod has failed jobs." : mod == nil ? "the queue is empty." : "no jobs for \(mod ?? "").")
            return lines.joined(separator: "\n")
        }
        let rows = status.mods.map { m in
            [
                m.mod, "\(m.counts.queued)", "\(m.waitingOnDependencies)", "\(m.counts.added)", "\(m.counts.done)", "\(m.counts.failed)",
                "\(m.counts.cancelled)", m.nextRetryAt.map { LocalMoment.text($0, now: now) } ?? "-", m.lastError?.description ?? "-",
            ]
        }
        lines.append("")
        lines.append(FittedTable.text(Self.columns, rows: rows, maxWidth: Terminal.tableWidth(wide: wide), wholeWith: "--wide"))
        return lines.joined(separator: "\n")
    }
}
