import ArgumentParser
import ModImgVersion

@main
struct ModImgQueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "modimg-queue",
        abstract: "Queue image uploads and reorders for Factorio mod portal galleries, and work the queue.",
        discussion: "Not affiliated with or sanctioned by Wube Software. " + LoadedConfig.helpText,
        version: ModImgVersion.current,
        subcommands: [
            EnqueueCommand.self, UploadCommand.self, ReorderCommand.self, RemoveCommand.self, WorkCommand.self, StatusCommand.self,
            JobsCommand.self, HistoryCommand.self, LogCommand.self, VerifyCommand.self, RetryCommand.self, CancelCommand.self,
            PruneCommand.self, ServeCommand.self,
        ]
    )

    /// argument-parser's own entry point, but with the long value lists of `reorder`,
    /// `upload` and `remove` kept out of its parser (see `BulkArguments`).
    static func main() async {
        let (kept, taken) = BulkArguments.split(Array(CommandLine.arguments.dropFirst()))
        BulkArguments.store(taken)
        do {
            var command = try parseAsRoot(kept)
            if var command = command as? any AsyncParsableCommand {
                // Ours (argument-parser's help command is not async): `--help` works whatever the file holds.
                try LoadedConfig.load()
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
