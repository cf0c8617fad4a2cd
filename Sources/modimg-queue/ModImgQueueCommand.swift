import ArgumentParser

@main
struct ModImgQueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "modimg-queue",
        abstract: "Queue image uploads and reorders for Factorio mod portal galleries, and work the queue.",
        discussion: "Not affiliated with or sanctioned by Wube Software.",
        subcommands: [
            EnqueueCommand.self, UploadCommand.self, ReorderCommand.self, WorkCommand.self, StatusCommand.self, HistoryCommand.self,
            LogCommand.self, RetryCommand.self, CancelCommand.self, PruneCommand.self, VerifyCommand.self,
        ]
    )
}
