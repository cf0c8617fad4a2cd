import ArgumentParser
import ModImgQueue

struct PruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Remove finished jobs (done, failed, cancelled) and their logs; the image history stays.",
        discussion: "Give at least one of --older-than, --mod and --state; every one given must hold.")

    @OptionGroup var database: DatabaseOptions

    @Option(
        name: .long,
        help: ArgumentHelp("Only jobs finished longer ago than this: a number and s, min, h, d or w (30min, 12h, 7d).", valueName: "age"))
    var olderThan: Age?

    @Option(name: .long, help: "Only jobs of this mod.", completion: .modNames)
    var mod: String?

    @Option(name: .long, help: "Only jobs in this finished state.")
    var state: FinishedState?

    @Flag(name: .long, help: "Print what would be removed, and remove nothing.")
    var dryRun = false

    func validate() throws {
        if let olderThan, olderThan.seconds == nil { throw ValidationError(Durations.ageProblem(olderThan.text)) }
        guard olderThan != nil || mod != nil || state != nil else {
            throw ValidationError("say which finished jobs to remove with --older-than, --mod or --state.")
        }
    }

    func run() async throws {
        try await Terminal.reportingErrors(database: database) {
            let selection = PruneSelection(olderThan: olderThan?.seconds, mod: mod, state: state)
            let groups = try await QueueMaintenance(database: try database.openExisting()).prune(selection, dryRun: dryRun)
            let verb = dryRun ? "would remove" : "removed"
            for group in groups {
                print("\(verb) \(group.count) \(group.state.rawValue) job\(group.count == 1 ? "" : "s") of \(group.mod)")
            }
            let total = groups.map(\.count).reduce(0, +)
            print("\(verb) \(total) finished job\(total == 1 ? "" : "s")\(dryRun ? "; nothing was removed" : "").")
        }
    }
}
