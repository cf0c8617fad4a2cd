import ArgumentParser
import Foundation
import ModImgQueue

/// `--db`, shared by every subcommand.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The queue database.",
            discussion: "Default: $MODIMG_QUEUE_DB, else $XDG_DATA_HOME/modimg-queue/queue.sqlite3, else ~/.local/share/modimg-queue/queue.sqlite3.",
            valueName: "path"))
    var db: String?

    /// Opens (creating if needed) the queue database.
    func openStore() throws -> SQLiteJobStore {
        let environment = ProcessInfo.processInfo.environment
        let path = db ?? DefaultPaths.database(environment: environment)
        if db == nil && (environment["MODIMG_QUEUE_DB"] ?? "").isEmpty {
            try? DefaultPaths.prepareDefaultFolder(for: path)
        }
        return SQLiteJobStore(connection: try QueueDatabase.open(path: path))
    }
}
