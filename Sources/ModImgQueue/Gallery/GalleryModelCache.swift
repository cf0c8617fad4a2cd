import SQLiteStore
import Synchronization

/// The gallery models this process has folded, one per mod, each with the last log entry it
/// folded: a later read applies only the entries appended since (the gallery log is only ever
/// appended to, in id order, and prune keeps it), so a long-running `serve` does not fold a
/// mod's whole log again on every view of it. Used by reads only: a model read inside a write
/// transaction could take in an entry that transaction then rolls back.
final class GalleryModelCache: Sendable {
    private struct Folded: Sendable {
        var model: GalleryModel
        var through: Int64
    }

    private let folded = Mutex<[String: Folded]>([:])
    /// Mods kept at most; past that the cache starts again (a view folds its mod once more).
    static let capacity = 256

    /// The model of `mod`, as `GalleryLog.model` folds it, through the log's newest entry.
    func model(_ db: Connection, mod: String) throws -> GalleryModel {
        var current = folded.withLock { $0[mod] } ?? Folded(model: GalleryModel(mod: mod), through: 0)
        for (id, change) in try GalleryLog.changes(db, mod: mod, after: current.through) {
            current.model.apply(change)
            current.through = id
        }
        folded.withLock { all in
            if all.count >= Self.capacity && all[mod] == nil { all.removeAll() }
            all[mod] = current
        }
        return current.model
    }
}
