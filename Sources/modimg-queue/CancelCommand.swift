import ArgumentParser
import ModImgQueue

struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel queued jobs that have not started, or set failed jobs aside (--failed).")

    @OptionGroup var database: DatabaseOptions

    @Flag(name: .long, help: "Every failed job (of --mod, if given): cancelled, so it no longer counts as a failure.")
    var failed = false

    @Option(name: .long, help: "Every queued job of this mod (with --failed: every failed one).", completion: .modNames)
    var mod: String?

    @Argument(help: ArgumentHelp("Job ids.", valueName: "job-id"), completion: .jobIDs(.inStates([.queued])))
    var jobIDs: [Int64] = []

    func validate() throws {
        if failed {
            guard jobIDs.isEmpty else { throw ValidationError("--failed takes no job ids; add --mod to pick one mod.") }
            return
        }
        guard (mod != nil) != !jobIDs.isEmpty else { throw ValidationError("give job ids, --mod or --failed, not ids and --mod together.") }
    }

    func run() async throws {
        try await Terminal.reportingErrors(database: database) {
            let maintenance = QueueMaintenance(database: try database.openExisting())
            let outcome =
                failed
                ? try await maintenance.cancelFailed(.all(mod: mod))
                : try await maintenance.cancel(mod.map { .all(mod: $0) } ?? .jobs(jobIDs))
            try MaintenanceOutput.print(outcome, verb: "cancelled")
        }
    }
}
