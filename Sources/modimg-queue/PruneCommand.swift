import ArgumentParser
import ModImgQueue

struct PruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Remove finished jobs (done, failed, cancelled) and their logs; the image history stays.")

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: ArgumentHelp("Only jobs finished longer ago than this, e.g. 30d, 12h.", valueName: "age"))
    var olderThan: Age

    func run() async throws {
        try await Terminal.reportingErrors(database: database) {
            let removed = try await QueueMaintenance(database: try database.openExisting()).prune(olderThan: olderThan.seconds)
            print("removed \(removed) finished job\(removed == 1 ? "" : "s").")
        }
    }
}
