import ArgumentParser
import Foundation
import ModImgQueue
import ModPortal

struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "List jobs, newest first: id, mod, kind, state, attempts, file, last error and next attempt.")

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "Only jobs in this state.")
    var state: JobState?

    @Option(name: .long, help: "Only jobs of this mod.", completion: .modNames)
    var mod: String?

    @Option(name: .long, help: "Only jobs of this kind.")
    var kind: JobKind?

    @Option(name: .long, help: "At most this many jobs.")
    var limit: Int?

    @Flag(name: .long, help: "Oldest first.")
    var oldestFirst = false

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    @Flag(name: .long, help: "Show every column whole, even wider than the terminal.")
    var wide = false

    private static let columns = [
        TableColumn("ID", .name), TableColumn("MOD", .name), TableColumn("KIND", .text), TableColumn("STATE", .text),
        TableColumn("ATTEMPTS", .count), TableColumn("FILE", .path), TableColumn("NEXT ATTEMPT", .text), TableColumn("LAST ERROR", .text),
    ]

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1.") }
    }

    /// Prints the jobs as it reads them, a page at a time: memory stays that of one page
    /// whatever the size of the queue.
    func run() async throws {
        try await Terminal.reportingErrors(database: database) {
            let filter = JobFilter(state: state, mod: mod, kind: kind, limit: limit, oldestFirst: oldestFirst)
            let listing = JobListing(database: try database.openExisting())
            if json {
                var array = StreamingJSONArray<JobJSON>()
                try await listing.forEachPage(filter) { jobs in try array.print(jobs.map { JobJSON(job: $0) }) }
                try array.finish()
                return
            }
            var table = FittedTable(Self.columns, maxWidth: Terminal.tableWidth(wide: wide))
            let now = Date().timeIntervalSince1970
            var any = false
            try await listing.forEachPage(filter) { jobs in
                any = true
                table.print(jobs.map { Self.row($0, now: now) })
            }
            if !any { print(state == nil && mod == nil && kind == nil ? "the queue is empty." : "no jobs match.") }
        }
    }

    private static func row(_ job: JobSummary, now: Double) -> [String] {
        [
            "\(job.id)", job.mod, job.kind.rawValue, job.state.rawValue, "\(job.attempts)",
            job.file.map { CellText.sanitized($0, limit: 4096) } ?? "-", job.nextAttemptAt.map { LocalMoment.text($0, now: now) } ?? "-",
            job.error.map { CellText.sanitized($0, limit: 4096) } ?? "-",
        ]
    }
}
