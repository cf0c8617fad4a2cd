import SQLiteStore

/// Failures of the queue itself, each with one sentence that says what to do.
public enum QueueError: Error, Equatable, CustomStringConvertible {
    case invalidModName(String)
    case invalidImageID(String)
    case noImages
    case repeatedImage(String)
    case databaseFolderMissing(String)
    case noQueueYet(String)
    case databaseNotADatabase(String)
    case databaseCorrupt(String)
    case databaseReadOnly(String)
    case databaseCannotOpen(String, String)
    case databaseBusy(String)
    case databaseDiskFull(String)
    /// The file at the database's path is no longer the one this process opened (deleted,
    /// replaced or moved away while it ran).
    case databaseReplaced(String)
    case databaseNewer(String, databaseVersion: Int, programVersion: Int)
    /// The file has more than one name (hard links): each would be a queue of its own.
    case databaseHardLinked(String, links: Int)
    case corruptRow(String)
    case unknownJob(Int64)

    public var description: String {
        switch self {
        case .invalidModName(let name):
            return "\"\(name)\" is not a valid mod name; use the mod's portal name (letters, digits, - and _)."
        case .invalidImageID(let text):
            return "\"\(text)\" is not an image id; ids are the 40 hexadecimal characters of the image's SHA1 (or name an image file)."
        case .repeatedImage(let id):
            return "image \(id) is named twice; a gallery holds each image once, so name it once, where it belongs."
        case .noImages:
            return "no images given; name at least one."
        case .noQueueYet(let path):
            return "there is no queue at \(path) yet; `modimg-queue upload`, `enqueue`, `reorder` or `remove` creates it, or pass --db with the queue you meant."
        case .databaseFolderMissing(let folder):
            return "the folder \(folder) does not exist; create it or choose another --db path."
        case .databaseNotADatabase(let path):
            return "\(path) is not a modimg-queue database; choose another --db path."
        case .databaseCorrupt(let path):
            return "the database \(path) is corrupted; restore it from a backup or choose another --db path."
        case .databaseReadOnly(let path):
            return "the database \(path) cannot be written; check the permissions of the file and its folder."
        case .databaseCannotOpen(let path, let reason):
            return "cannot open the database \(path) (\(reason)); check the path and its permissions."
        case .databaseDiskFull(let path):
            return "the disk holding the database \(path) is full; free some space and run the command again."
        case .databaseReplaced(let path):
            return "the database \(path) was deleted or replaced while this command ran; nothing more was written to it. Put the file back (or start again with the new one)."
        case .databaseBusy(let path):
            return "the database \(path) is locked by another process; try again when it has finished."
        case .databaseNewer(let path, let databaseVersion, let programVersion):
            return "the database \(path) was written by a newer modimg-queue (schema \(databaseVersion), this one knows \(programVersion)); upgrade modimg-queue."
        case .databaseHardLinked(let path, let links):
            return "the database \(path) has \(links) hard links, and each name would work as a separate queue (its own write-ahead log and locks); keep one name (delete the other links) and use a symbolic link for another path."
        case .corruptRow(let table):
            return "a row of table \(table) cannot be read; the database may be damaged."
        case .unknownJob(let id):
            return "there is no job \(id); `modimg-queue status` lists the queue."
        }
    }

    /// Another process holds the write lock: waiting may cure it.
    public var isBusy: Bool {
        if case .databaseBusy = self { return true }
        return false
    }

    /// One sentence for any error the queue can throw, SQLite's included.
    public static func sentence(for error: any Error, databasePath: String) -> String {
        let text: String
        if let error = error as? SQLiteError {
            text = QueueError.from(error, path: databasePath).description
        } else {
            text = String(describing: error)
        }
        return text.hasSuffix(".") ? text : text + "."
    }

    /// Translates SQLite's failures on `path` into a sentence for the user.
    static func from(_ error: SQLiteError, path: String) -> QueueError {
        if error.isNotADatabase { return .databaseNotADatabase(path) }
        if error.isCorrupt { return .databaseCorrupt(path) }
        if error.isReadOnly { return .databaseReadOnly(path) }
        if error.isBusy { return .databaseBusy(path) }
        if error.isDiskFull { return .databaseDiskFull(path) }
        return .databaseCannotOpen(path, error.message)
    }
}
