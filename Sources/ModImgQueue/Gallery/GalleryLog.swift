import SQLiteStore

/// Reads and writes `gallery_log`, the changes the gallery model folds. Writes happen inside
/// the transaction that records the job done, so the log and the job never disagree.
enum GalleryLog {
    static func appendUploaded(_ db: Connection, mod: String, imageID: String, job: Int64, now: Double) throws {
        try db.run(
            "INSERT INTO gallery_log (mod, at, job_id, kind, image_ids) VALUES (?, ?, ?, 'uploaded', ?)",
            [mod, now, job, imageID.lowercased()])
    }

    static func appendEdited(_ db: Connection, mod: String, gallery: [String], removed: [String], job: Int64, now: Double)
        throws
    {
        try db.run(
            "INSERT INTO gallery_log (mod, at, job_id, kind, image_ids, removed_ids) VALUES (?, ?, ?, 'edited', ?, ?)",
            [mod, now, job, join(gallery), join(removed)])
    }

    static func model(_ db: Connection, mod: String) throws -> GalleryModel {
        GalleryModel(mod: mod, changes: try changes(db, mod: mod, after: 0).map(\.change))
    }

    /// The mod's changes logged after entry `after`, in order, each with its entry's id.
    static func changes(_ db: Connection, mod: String, after: Int64) throws -> [(id: Int64, change: GalleryModel.Change)] {
        try db.rows("SELECT id, kind, image_ids, removed_ids FROM gallery_log WHERE mod = ? AND id > ? ORDER BY id", [mod, after])
            .compactMap { row -> (id: Int64, change: GalleryModel.Change)? in
                guard let id = row.int("id"), let ids = row.string("image_ids") else { return nil }
                switch row.string("kind") {
                case "uploaded": return (Int64(id), .uploaded(ids))
                case "edited": return (Int64(id), .edited(gallery: split(ids), removed: split(row.string("removed_ids") ?? "")))
                default: return nil
                }
            }
    }

    static func mods(_ db: Connection) throws -> [String] {
        try db.rows("SELECT DISTINCT mod FROM gallery_log ORDER BY mod").compactMap { $0.string("mod") }
    }

    private static func join(_ ids: [String]) -> String { ids.map { $0.lowercased() }.joined(separator: ",") }
    private static func split(_ text: String) -> [String] { text.split(separator: ",").map { $0.lowercased() } }
}
