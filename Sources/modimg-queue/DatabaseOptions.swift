import ArgumentParser
import Foundation
import ModImgQueue

/// `--db`, shared by every subcommand.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The queue database.",
            discussion: "Default: $MODIMG_QUEUE_DB, else the config file's database, else $XDG_DATA_HOME/modimg-queue/queue.sqlite3, else ~/.local/share/modimg-queue/queue.sqlite3.",
            valueName: "path"),
        completion: .file(extensions: ["sqlite3"]))
    var db: String?

    /// The database file this command uses.
    var path: String { db ?? DefaultPaths.database(configured: LoadedConfig.current.database) }

    /// Opens the queue database, creating it if needed: for the commands that queue work.
    func open() throws -> QueueDatabase {
        let environment = ProcessInfo.processInfo.environment
        if db == nil && (environment["MODIMG_QUEUE_DB"] ?? "").isEmpty && LoadedConfig.current.database == nil {
            try? DefaultPaths.prepareDefaultFolder(for: path)
        }
        return try QueueDatabase.open(path: path, busyTimeoutMilliseconds: busyTimeout)
    }

    /// For a dry run, which creates nothing: the queue if it exists, else an empty one in a
    /// temporary folder (a new queue is empty too), to be removed with `removeScratch`.
    func openForDryRun() throws -> (queue: QueueDatabase, scratch: String?) {
        guard !FileManager.default.fileExists(atPath: path) else { return (try openExisting(), nil) }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("modimg-queue-dry-run-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        do {
            return (try QueueDatabase.open(path: scratch + "/queue.sqlite3", busyTimeoutMilliseconds: busyTimeout), scratch)
        } catch {
            try? FileManager.default.removeItem(atPath: scratch)
            throw error
        }
    }

    /// Opens the queue database, which must exist: for the commands that read or work through
    /// a queue, so a mistyped path is said, not silently made into an empty queue.
    func openExisting() throws -> QueueDatabase {
        try QueueDatabase.open(path: path, busyTimeoutMilliseconds: busyTimeout, creating: false)
    }

    /// How long to wait for another process's write lock; tests shorten it.
    var busyTimeout: Int32 {
        ProcessInfo.processInfo.environment["MODIMG_QUEUE_BUSY_TIMEOUT_MS"].flatMap(Int32.init) ?? 5_000
    }
}
