import ArgumentParser

/// In-process measurements for `make bench` (scripts/bench.py runs this and prints the table).
/// Each subcommand prints one JSON object on stdout.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "modimg-bench",
        abstract: "Measurements of the queue store for scripts/bench.py.",
        subcommands: [
            QueueOverheadCommand.self, WorkerPaceCommand.self, LargeDatabaseCommand.self, QueryPlansCommand.self, InspectTimingCommand.self,
        ])
}
