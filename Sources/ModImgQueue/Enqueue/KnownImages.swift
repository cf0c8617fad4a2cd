import SQLiteStore

/// What this database already knows about a mod's images, by SHA1.
struct KnownImages {
    /// Uploaded and confirmed by the portal (the `images` history).
    var uploaded: Set<String> = []
    /// Upload jobs not finished yet: SHA1 → job id.
    var pending: [String: Int64] = [:]

    static func load(_ db: Connection, mod: String) throws -> KnownImages {
        var known = KnownImages()
        for row in try db.rows("SELECT image_id FROM images WHERE mod = ?", [mod]) {
            if let id = row.string("image_id") { known.uploaded.insert(id) }
        }
        for row in try db.rows(
            """
            SELECT id, file_sha1, state FROM jobs
            WHERE kind = 'upload' AND mod = ? AND state IN ('queued', 'added', 'done') ORDER BY id
            """, [mod])
        {
            guard let sha1 = row.string("file_sha1"), let id = row.int("id") else { continue }
            if row.string("state") == JobState.done.rawValue {
                known.uploaded.insert(sha1)
            } else if known.pending[sha1] == nil {
                known.pending[sha1] = Int64(id)
            }
        }
        return known
    }
}
