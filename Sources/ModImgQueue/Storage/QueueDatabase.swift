import Dispatch
import Foundation
import SQLiteStore
import Synchronization

/// The queue's SQLite file and the one connection to it. Every access goes through `read {}`
/// or `write {}`, run one at a time on this object's own serial queue: SQLite's blocking calls
/// never occupy a thread of Swift's cooperative pool, and no caller borrows another's lock.
/// `write` is one `BEGIN IMMEDIATE` transaction.
public final class QueueDatabase: @unchecked Sendable {
    /// The migrations in `Migrations/`, embedded at build time.
    public static let migrations: [Migration] = embeddedMigrationFiles.map {
        // migrations-embed refuses a misnamed file at build time, so every name parses here.
        Migration(fileName: $0.name, sql: $0.sql)!
    }

    public let path: String
    /// The gallery models reads of this database have folded (see `GalleryModelCache`).
    let galleryModels = GalleryModelCache()
    private let connection: Connection
    private let queue: DispatchQueue
    private let longestCall = Mutex(0.0)
    /// The files this connection opened, to notice when the path names another file (or none).
    private let identity: [FileIdentity]

    private init(path: String, connection: Connection) {
        self.path = path
        self.connection = connection
        self.identity = [path, path + "-wal"].compactMap(FileIdentity.init(path:))
        self.queue = DispatchQueue(label: "modimg-queue.database", qos: .userInitiated)
        queue.setSpecific(key: Self.queueKey, value: ObjectIdentifier(self))
    }

    /// Opens the file: created 0600 if new (unless `creating` is false: then a missing file is
    /// `noQueueYet`), schema brought up to date from the migrations compiled into this binary,
    /// refused untouched if written by a newer version, or if the file has another name (a hard
    /// link: SQLite would give each name its own write-ahead log and lock, two queues in one file;
    /// a symbolic link is one file and fine).
    public static func open(path: String, busyTimeoutMilliseconds: Int32 = 5_000, creating: Bool = true) throws(QueueError)
        -> QueueDatabase
    {
        let folder = (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        if !folder.isEmpty && !(FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) && isDirectory.boolValue) {
            throw creating ? .databaseFolderMissing(folder) : .noQueueYet(path)
        }
        if creating {
            try createPrivately(path)
        } else if !FileManager.default.fileExists(atPath: path) {
            throw .noQueueYet(path)
        }
        var info = stat()
        if stat(path, &info) == 0, info.st_nlink > 1 { throw .databaseHardLinked(path, links: Int(info.st_nlink)) }
        // Two commands opening a new file at once race to switch it to WAL and to migrate it:
        // the loser's SQLITE_BUSY comes at once, without the busy handler, so wait it out here.
        let deadline = Date().addingTimeInterval(Double(busyTimeoutMilliseconds) / 1000)
        while true {
            do {
                return try openAndMigrate(path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
            } catch .databaseBusy(let busyPath) {
                guard Date() < deadline else { throw .databaseBusy(busyPath) }
                usleep(20_000)
            }
        }
    }

    private static func openAndMigrate(path: String, busyTimeoutMilliseconds: Int32) throws(QueueError) -> QueueDatabase {
        let connection: Connection
        do {
            connection = try Connection(path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        } catch {
            throw QueueError.from(error, path: path)
        }
        do {
            let migrator = try Migrator(migrations: migrations)
            // Refused before anything is written: even the switch to WAL changes the file.
            if let newest = try migrator.appliedVersions(in: connection).last, newest > migrator.latestVersion {
                throw MigrationError.databaseNewerThanProgram(databaseVersion: newest, programVersion: migrator.latestVersion)
            }
            try connection.useWriteAheadLog()
            try migrator.migrate(connection, now: Date().timeIntervalSince1970)
        } catch let error as MigrationError {
            if case .databaseNewerThanProgram(let databaseVersion, let programVersion) = error {
                throw .databaseNewer(path, databaseVersion: databaseVersion, programVersion: programVersion)
            }
            throw .databaseCannotOpen(path, error.description)
        } catch let error as SQLiteError {
            throw QueueError.from(error, path: path)
        } catch {
            throw .databaseCannotOpen(path, String(describing: error))
        }
        return QueueDatabase(path: path, connection: connection)
    }

    /// Runs `body` alone on the connection, outside a transaction (reads).
    func read<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        try await run { connection in try body(connection) }
    }

    /// Runs `body` alone on the connection inside `BEGIN IMMEDIATE … COMMIT`, rolled back if it throws.
    func write<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        try await run { connection in try connection.transaction { try body(connection) } }
    }

    private func run<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        let asked = ContinuousClock.now
        defer { noteCall(since: asked) }
        // Already on this database's queue (a task that prefers `executor`): run in place, in turn.
        if DispatchQueue.getSpecific(key: Self.queueKey) == ObjectIdentifier(self) {
            return try perform(body)
        }
        return try await withUnsafeThrowingContinuation { continuation in
            queue.async { [self] in
                continuation.resume(with: Result { try perform(body) })
            }
        }
    }

    /// The longest any caller waited for one read or write, queue and locks included (seconds).
    public var longestCallSeconds: Double { longestCall.withLock { $0 } }

    private func noteCall(since asked: ContinuousClock.Instant) {
        let took = asked.duration(to: .now)
        let seconds = Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18
        longestCall.withLock { $0 = max($0, seconds) }
    }

    private func perform<T>(_ body: (Connection) throws -> T) throws -> T {
        // A file deleted or replaced under us would take every later write into the void.
        guard identity.allSatisfy({ FileIdentity(path: $0.path) == $0 }) else { throw QueueError.databaseReplaced(path) }
        do {
            return try body(connection)
        } catch let error as SQLiteError {
            throw QueueError.from(error, path: path)
        }
    }

    private static let queueKey = DispatchSpecificKey<ObjectIdentifier>()

    /// Runs tasks on this database's serial queue: a worker whose slots prefer it reaches the
    /// database without a thread switch per call (still never on Swift's cooperative threads).
    public var executor: any TaskExecutor { QueueExecutor(queue: queue) }

    /// Whether the caller runs on this database's queue: tests check that a worker's CPU work
    /// (file hashing, multipart bodies) never does.
    var isCurrentQueue: Bool { DispatchQueue.getSpecific(key: Self.queueKey) == ObjectIdentifier(self) }

    /// Calls `hook` inside every commit on this database (crash tests stop the process there).
    public func setCommitHook(_ hook: (@Sendable () -> Void)?) {
        queue.sync { connection.setCommitHook(hook) }
    }

    /// Creates an empty file readable by its owner only, so SQLite (which gives the
    /// -wal and -shm files the same mode) never makes the queue world-readable.
    private static func createPrivately(_ path: String) throws(QueueError) {
        let fd = Foundation.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 {
            close(fd)
            return
        }
        switch errno {
        case EEXIST: return
        case EACCES, EROFS: throw .databaseReadOnly(path)
        case ENOENT: throw .databaseFolderMissing((path as NSString).deletingLastPathComponent)
        default: throw .databaseCannotOpen(path, String(cString: strerror(errno)))
        }
    }
}

/// A task executor over a serial dispatch queue.
final class QueueExecutor: TaskExecutor {
    let queue: DispatchQueue

    init(queue: DispatchQueue) {
        self.queue = queue
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { [self] in
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}

/// A file as the file system knows it: device and inode, at a path.
struct FileIdentity: Equatable {
    let path: String
    let device: UInt64
    let inode: UInt64

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.path = path
        self.device = UInt64(info.st_dev)
        self.inode = UInt64(info.st_ino)
    }
}
