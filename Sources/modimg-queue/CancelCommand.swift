import ArgumentParser
import ModImgQueue

struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel queued jobs that have not started.")

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "Every queued job of this mod.")
    var mod: String?

    @Argument(help: ArgumentHelp("Job ids.", valueName: "job-id"))
    var jobIDs: [Int64] = []

    func validate() throws {
        guard (mod != nil) != !jobIDs.isEmpty else { throw ValidationError("give job ids or --mod, not both or neither.") }
    }

    func run() async throws {
        try await Terminal.reportingErrors(database: database) {
            let outcome = try await QueueMaintenance(database: try database.openExisting())
                .cancel(mod.map { .all(mod: $0) } ?? .jobs(jobIDs))
            try MaintenanceOutput.print(outcome, verb: "cancelled")
        }
    }
}
