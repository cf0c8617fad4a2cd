import SQLiteStore

/// Writes new jobs inside a caller's transaction. The `queued` entry of a job's log is not
/// stored: it is read back from the job row itself (see `QueueQueries.events`). The per-mod
/// counts of `job_counts` are raised once per mod in `finish()`, not once per row: triggers
/// keep them for updates and deletes, this is the only place jobs are inserted. Likewise each
/// mod's row of `mod_heads` is computed once per batch, and a job's count of open dependencies
/// once per job.
struct JobInserter {
    let db: Connection
    let now: Double
    private var queuedPerMod: [String: Int] = [:]
    /// Whether this batch's first job was numbered above every id `prune` has removed (SQLite
    /// would reuse them); the rest of the batch follows it.
    private var numberedAboveRemoved = false

    init(db: Connection, now: Double) {
        self.db = db
        self.now = now
    }

    mutating func insert(
        kind: JobKind, mod: String, file: ImageFile?, imageIDs: [String]?, keepUnlisted: Bool = false,
        excluding excludedIDs: [String]? = nil, dependsOn dependencies: [Int64] = []
    ) throws -> Int64 {
        let explicitID: Int64? = numberedAboveRemoved ? nil : try Self.firstFreeID(db)
        numberedAboveRemoved = true
        try db.run(
            """
            INSERT INTO jobs (
              id, kind, mod, state, file_path, file_sha1, file_size, image_ids, keep_unlisted, exclude_ids, created_at,
              updated_at)
            VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [explicitID, kind.rawValue, mod, file?.path, file?.sha1, file?.size, imageIDs?.joined(separator: ","), keepUnlisted,
                excludedIDs?.joined(separator: ","), now, now])
        let id = db.lastInsertRowID
        for dependency in dependencies {
            try db.run("INSERT INTO job_dependencies (job_id, depends_on) VALUES (?, ?)", [id, dependency])
        }
        if !dependencies.isEmpty {
            try db.run(
                """
                UPDATE jobs SET open_dependencies = (
                  SELECT COUNT(*) FROM job_dependencies AS d JOIN jobs AS k ON k.id = d.depends_on
                  WHERE d.job_id = ?1 AND \(JobSQL.isOpen("k")))
                WHERE id = ?1
                """, [id])
        }
        queuedPerMod[mod, default: 0] += 1
        return id
    }

    /// One more than the highest id ever given: in the table, or removed by `prune`.
    private static func firstFreeID(_ db: Connection) throws -> Int64 {
        let row = try db.row(
            "SELECT MAX(COALESCE((SELECT MAX(id) FROM jobs), 0), COALESCE((SELECT highest FROM job_ids), 0)) + 1 AS id")
        return Int64(row?.int("id") ?? 1)
    }

    func finish() throws {
        for (mod, count) in queuedPerMod {
            try ClaimRules.refreshHead(db, mod: mod)
            try db.run(
                """
                INSERT INTO job_counts (mod, state, n) VALUES (?, 'queued', ?)
                ON CONFLICT (mod, state) DO UPDATE SET n = n + excluded.n
                """, [mod, count])
        }
    }
}
