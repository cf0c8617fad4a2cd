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
            valueName: "path"),
        completion: .file(extensions: ["sqlite3"]))
    var db: String?

    /// The database file this command uses.
    var path: String { db ?? DefaultPaths.database() }

    /// Opens (creating if needed) the queue database.
    func open() throws -> QueueDatabase {
        let environment = ProcessInfo.processInfo.environment
        if db == nil && (environment["MODIMG_QUEUE_DB"] ?? "").isEmpty {
            try? DefaultPaths.prepareDefaultFolder(for: path)
        }
        // How long to wait for another process's write lock; tests shorten it.
        let busyTimeout = environment["MODIMG_QUEUE_BUSY_TIMEOUT_MS"].flatMap(Int32.init) ?? 5_000
        return try QueueDatabase.open(path: path, busyTimeoutMilliseconds: busyTimeout)
    }
}
