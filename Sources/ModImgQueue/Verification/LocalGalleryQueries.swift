import SQLiteStore

/// Reads what this database knows of mods' galleries, for `verify`.
enum LocalGalleryQueries {
    /// Every mod with an upload in the history or a done reorder still in the queue, by name.
    static func modsInHistory(_ db: Connection) throws -> [String] {
        try db.rows(
            """
            SELECT mod FROM images UNION SELECT mod FROM jobs WHERE kind = 'reorder' AND state = 'done' ORDER BY mod
            """
        ).compactMap { $0.string("mod") }
    }

    static func gallery(_ db: Connection, mod: String) throws -> LocalGallery {
        let uploaded = try db.rows("SELECT image_id, uploaded_at FROM images WHERE mod = ? ORDER BY id", [mod])
            .compactMap { row -> UploadedImage? in
                guard let id = row.string("image_id") else { return nil }
                return UploadedImage(id: id, uploadedAt: row.double("uploaded_at") ?? 0)
            }
        let reorder = try db.row(
            """
            SELECT image_ids, keep_unlisted, finished_at FROM jobs
            WHERE kind = 'reorder' AND mod = ? AND state = 'done'
            ORDER BY finished_at DESC, id DESC LIMIT 1
            """, [mod]
        ).map { row in
            DoneReorder(
                imageIDs: (row.string("image_ids") ?? "").split(separator: ",").map(String.init),
                keepUnlisted: row.int("keep_unlisted") == 1, finishedAt: row.double("finished_at") ?? 0)
        }
        return LocalGallery(mod: mod, uploaded: uploaded, lastReorder: reorder)
    }
}
