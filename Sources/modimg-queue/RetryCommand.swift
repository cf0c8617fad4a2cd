import ArgumentParser
import ModImgQueue

struct RetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Put failed jobs back in the queue, with fresh attempts.")

    @OptionGroup var database: DatabaseOptions

    @Flag(name: .long, help: "Every failed job (of --mod, if given).")
    var failed = false

    @Option(name: .long, help: "With --failed: only this mod.", completion: .modNames)
    var mod: String?

    @Argument(help: ArgumentHelp("Job ids.", valueName: "job-id"), completion: .jobIDs(.inStates([.failed])))
    var jobIDs: [Int64] = []

    func validate() throws {
        guard failed != !jobIDs.isEmpty else { throw ValidationError("give job ids or --failed, not both or neither.") }
        guard mod == nil || failed else { throw ValidationError("--mod goes with --failed.") }
    }

    func run() async throws {
        try await Terminal.reportingErrors(database: database) {
            let outcome = try await QueueMaintenance(database: try database.openExisting())
                .retry(failed ? .all(mod: mod) : .jobs(jobIDs))
            try MaintenanceOutput.print(outcome, verb: "queued again")
        }
    }
}
