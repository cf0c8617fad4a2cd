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
}
