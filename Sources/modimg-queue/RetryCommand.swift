import ArgumentParser
import ModImgQueue

struct RetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Put failed jobs back in the queue, with fresh attempts.")

    @OptionGroup var database: DatabaseOptions

    @Flag(name: .long, help: "Every failed job (of --mod, if given).")
    var failed = false

    @Option(name: .long, help: "With --failed: only this mod.")
    var mod: String?

    @Argument(help: "Job ids.")
    var jobIDs: [Int64] = []

    func validate() throws {
        guard failed != !jobIDs.isEmpty else { throw ValidationError("give job ids or --failed, not both or neither.") }
        guard mod == nil || failed else { throw ValidationError("--mod goes with --failed.") }
    }

    func run() async throws {
        try await Terminal.reportingErrors(database: database) {
            let outcome = try QueueMaintenance(store: try database.openStore())
                .retry(failed ? .all(mod: mod) : .jobs(jobIDs))
            MaintenanceOutput.print(outcome, verb: "queued again")
        }
    }
}

struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel queued jobs that have not started.")

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "Every queued job of this mod.")
    var mod: String?

    @Argument(help: "Job ids.")
    var jobIDs: [Int64] = []

    func validate() throws {
        guard (mod != nil) != !jobIDs.isEmpty else { throw ValidationError("give job ids or --mod, not both or neither.") }
    }

    func run() async throws {
        try await Terminal.reportingErrors(database: database) {
            let outcome = try QueueMaintenance(store: try database.openStore())
                .cancel(mod.map { .all(mod: $0) } ?? .jobs(jobIDs))
            MaintenanceOutput.print(outcome, verb: "cancelled")
        }
    }
}

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

enum MaintenanceOutput {
    static func print(_ outcome: QueueMaintenance.Outcome, verb: String) {
        for (id, why) in outcome.skipped.sorted(by: { $0.key < $1.key }) {
            Swift.print("job \(id) left as it is: \(why).")
        }
        Swift.print(
            outcome.changed.isEmpty
                ? "no job \(verb)." : "\(verb): job\(outcome.changed.count == 1 ? "" : "s") \(outcome.changed.map(String.init).joined(separator: ", ")).")
    }
}
