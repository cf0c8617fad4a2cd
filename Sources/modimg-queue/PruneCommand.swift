import ArgumentParser
import ModImgQueue

struct PruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Remove finished jobs (done, failed, cancelled) and their logs; the image history stays.")

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: ArgumentHelp("Only jobs finished longer ago than this, e.g. 30d, 12h.", valueName: "age"))
    var olderThan: String

    func validate() throws {
        guard Durations.seconds(olderThan) != nil else {
            throw ValidationError("--older-than \"\(olderThan)\" is not an age; write it like 30d, 12h, 15m or 90s.")
        }
    }

    func run() async throws {
        try await Terminal.reportingErrors(database: database) {
            let removed = try QueueMaintenance(store: try database.openStore()).prune(olderThan: Durations.seconds(olderThan) ?? 0)
            print("removed \(removed) finished job\(removed == 1 ? "" : "s").")
        }
    }
}
