import ArgumentParser
import ModImgQueue

struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel queued jobs that have not started, or set failed jobs aside (--failed).")

    @OptionGroup var database: DatabaseOptions

    @Flag(
        name: .long,
        help: "Failed jobs instead: the ids given, else every one (of --mod, if given), cancelled so they no longer count as failures.")
    var failed = false

    @Option(name: .long, help: "Every queued job of this mod (with --failed: every failed one).", completion: .modNames)
    var mod: String?

    @Argument(help: ArgumentHelp("Job ids.", valueName: "job-id"), completion: .jobIDs(.inStates([.queued])))
    var jobIDs: [Int64] = []

    func validate() throws {
        if failed {
            guard jobIDs.isEmpty || mod == nil else { throw ValidationError("give failed job ids or --mod, not both.") }
            return
        }
        guard (mod != nil) != !jobIDs.isEmpty else { throw ValidationError("give job ids, --mod or --failed, not ids and --mod together.") }
    }

    func run() async throws {
        try await Terminal.reportingErrors(database: database) {
            let maintenance = QueueMaintenance(database: try database.openExisting())
            let outcome =
                failed
                ? try await maintenance.cancelFailed(jobIDs.isEmpty ? .all(mod: mod) : .jobs(jobIDs))
                : try await maintenance.cancel(mod.map { .all(mod: $0) } ?? .jobs(jobIDs))
            try MaintenanceOutput.print(outcome, verb: "cancelled")
        }
    }
}
