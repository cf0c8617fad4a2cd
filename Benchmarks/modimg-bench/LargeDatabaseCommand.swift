import ArgumentParser
import Foundation
import ModImgQueue

/// Writes a queue database of many jobs over many mods, as years of use would leave it:
/// 90% done (with their images in the history), 5% queued (some backing off), 3% failed,
/// 2% cancelled; one job in twenty a reorder; and for each mod one more reorder, queued, that
/// waits on every other job of its mod.
struct LargeDatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "make-large-db")

    @Option var db: String
    @Option var jobs = 1_000_000
    @Option var mods = 5_000

    func run() async throws {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
        _ = try QueueDatabase.open(path: db)
        let raw = RawSQLite(path: db)
        let now = Date().timeIntervalSince1970
        let start = Date()
        raw.exec("PRAGMA synchronous = OFF")
        raw.exec("BEGIN IMMEDIATE")
        for i in 0..<jobs {
            let mod = String(format: "bench-mod-%05d", i % mods)
            let sha1 = String(format: "%040x", i)
            let bucket = (i / mods) % 100
            let state = bucket < 90 ? "done" : bucket < 95 ? "queued" : bucket < 98 ? "failed" : "cancelled"
            let isReorder = i % 20 == 19
            let created = now - Double(jobs - i)
            let error: String? = state == "failed" ? "InvalidImageUpload" : (state == "queued" && i % 7 == 0 ? "HTTP503" : nil)
            raw.run(
                """
                INSERT INTO jobs (kind, mod, state, file_path, file_sha1, file_size, image_ids, attempts, next_attempt_at,
                  last_error_code, last_error_message, result_image_id, created_at, updated_at, finished_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    isReorder ? "reorder" : "upload", mod, state, isReorder ? nil : "/shots/\(mod)/\(i).png",
                    isReorder ? nil : sha1, isReorder ? nil : Int64(250_000), isReorder ? sha1 : nil,
                    error == nil ? 0 : 1, error == "HTTP503" ? now + 600 : 0, error,
                    error.map { "\($0): portal said no" }, state == "done" && !isReorder ? sha1 : nil, created, created,
                    state == "queued" ? nil : created,
                ])
            if state == "done" && !isReorder {
                let job = raw.lastInsertRowID
                raw.run(
                    "INSERT INTO images (mod, image_id, url, thumbnail, file_path, uploaded_at, job_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        mod, sha1, "https://assets-mod.factorio.com/assets/\(sha1).png",
                        "https://assets-mod.factorio.com/assets/\(sha1).thumb.png", "/shots/\(mod)/\(i).png", created, job,
                    ])
            }
        }
        // Each mod's gallery set once all its uploads are done: one reorder per mod, waiting on
        // every other job of its mod (`jobs` dependency rows in all).
        let before = raw.run("SELECT MAX(id) FROM jobs") ?? 0
        raw.run(
            """
            INSERT INTO jobs (kind, mod, state, image_ids, keep_unlisted, created_at, updated_at)
            SELECT 'reorder', mod, 'queued', '', 1, ?, ? FROM jobs GROUP BY mod ORDER BY mod
            """, [now, now])
        raw.run(
            """
            INSERT INTO job_dependencies (job_id, depends_on)
            SELECT r.id, j.id FROM jobs AS r JOIN jobs AS j ON j.mod = r.mod AND j.id <= ? WHERE r.id > ?
            """, [before, before])
        raw.run(
            """
            UPDATE jobs SET open_dependencies = (
              SELECT COUNT(*) FROM job_dependencies AS d JOIN jobs AS k ON k.id = d.depends_on
              WHERE d.job_id = jobs.id AND k.state IN ('queued', 'added'))
            WHERE id > ?
            """, [before])
        // Each mod's next job, as the migration computes it for a queue it finds.
        raw.exec("DELETE FROM mod_heads")
        raw.exec(
            """
            INSERT INTO mod_heads (mod, head, ready_at, ahead, ahead_at, head_lease)
            SELECT mod, head, ready_at, ahead, ahead_at, head_lease FROM mod_head_candidates
            WHERE head IN (SELECT MIN(id) FROM jobs WHERE state IN ('queued', 'added') GROUP BY mod)
            """)
        raw.exec("DELETE FROM job_counts")
        raw.exec("INSERT INTO job_counts (mod, state, n) SELECT mod, state, COUNT(*) FROM jobs GROUP BY mod, state")
        raw.exec("COMMIT")
        raw.exec("PRAGMA wal_checkpoint(TRUNCATE)")
        raw.exec("ANALYZE")
        let dependencies = Double(raw.run("SELECT COUNT(*) FROM job_dependencies") ?? 0)
        let result: [String: Double] = ["jobs": Double(jobs), "dependencies": dependencies, "mods": Double(mods), "seconds": Date().timeIntervalSince(start)]
        print(String(decoding: try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]), as: UTF8.self))
    }
}
