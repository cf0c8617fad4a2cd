import SQLiteStore

/// Reads what this database knows of mods' galleries, for `verify`.
enum LocalGalleryQueries {
    /// Every mod whose gallery this queue changed (an upload or an edit), by name.
    static func modsInHistory(_ db: Connection) throws -> [String] {
        try GalleryLog.mods(db)
    }

    static func gallery(_ db: Connection, mod: String) throws -> GalleryModel {
        try GalleryLog.model(db, mod: mod)
    }

    /// The local file each of `ids` was last uploaded from to `mod`, where the history knows one.
    static func files(_ db: Connection, mod: String, ids: [String]) throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        let wanted = Set(ids)
        var files: [String: String] = [:]
        for row in try db.rows("SELECT image_id, file_path FROM images WHERE mod = ? AND file_path IS NOT NULL ORDER BY id", [mod]) {
            guard let id = row.string("image_id")?.lowercased(), wanted.contains(id), let path = row.string("file_path") else { continue }
            files[id] = path
        }
        return files
    }
}
