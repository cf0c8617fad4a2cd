import SQLiteStore

/// What this database already knows about a mod's images, by SHA1.
struct KnownImages {
    /// Uploaded and confirmed by the portal (the `images` history).
    var uploaded: Set<String> = []
    /// Upload jobs not finished yet: SHA1 → job id.
    var pending: [String: Int64] = [:]
    /// The local file an image came from, where the history (or a job) records one: SHA1 → path.
    var files: [String: String] = [:]

    static func load(_ db: Connection, mod: String) throws -> KnownImages {
        var known = KnownImages()
        for row in try db.rows("SELECT image_id, file_path FROM images WHERE mod = ? ORDER BY id", [mod]) {
            guard let id = row.string("image_id") else { continue }
            known.uploaded.insert(id)
            if known.files[id] == nil, let path = row.string("file_path") { known.files[id] = path }
        }
        for row in try db.rows(
            """
            SELECT id, file_sha1, file_path, state FROM jobs
            WHERE kind = 'upload' AND mod = ? AND state IN ('queued', 'added', 'done') ORDER BY id
            """, [mod])
        {
            guard let sha1 = row.string("file_sha1"), let id = row.int("id") else { continue }
            if known.files[sha1] == nil, let path = row.string("file_path") { known.files[sha1] = path }
            if row.string("state") == JobState.done.rawValue {
                known.uploaded.insert(sha1)
            } else if known.pending[sha1] == nil {
                known.pending[sha1] = Int64(id)
            }
        }
        return known
    }

    /// Upload jobs not finished yet, in the order they will run: (SHA1, job id).
    var pendingInJobOrder: [(sha1: String, job: Int64)] {
        pending.map { (sha1: $0.key, job: $0.value) }.sorted { $0.job < $1.job }
    }
}
