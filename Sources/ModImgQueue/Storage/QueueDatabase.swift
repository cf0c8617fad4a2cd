import Foundation
import SQLiteStore

/// Opens the queue's SQLite file: created 0600 if new, schema brought up to date from the
/// migrations compiled into this binary, refused untouched if written by a newer version.
public enum QueueDatabase {
    /// The migrations in `Migrations/`, embedded at build time.
    public static let migrations: [Migration] = embeddedMigrationFiles.compactMap {
        Migration(fileName: $0.name, sql: $0.sql)
    }

    public static func open(path: String, busyTimeoutMilliseconds: Int32 = 5_000) throws(QueueError) -> Connection {
        let folder = (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        if !folder.isEmpty && !(FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) && isDirectory.boolValue) {
            throw .databaseFolderMissing(folder)
        }
        try createPrivately(path)
        var options = Connection.Options()
        options.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        let connection: Connection
        do {
            connection = try Connection(path: path, options: options)
        } catch {
            throw QueueError.from(error, path: path)
        }
        do {
            let migrator = try Migrator(migrations: migrations)
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
        return connection
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
