import ArgumentParser
import Foundation
import ModImgQueue
import ModPortal

/// Enqueue of many jobs in one transaction, and claim-and-complete cycles against an
/// instant portal, each next to libsqlite3 running the same statements.
struct QueueOverheadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "queue-overhead")

    @Option var dir: String
    @Option var jobs = 100_000
    @Option var cycles = 2_000
    @Option var mods = 50

    func run() async throws {
        let enqueueOurs = try await measureEnqueue()
        let enqueueRaw = try measureRawEnqueue()
        let files = try makeFiles()
        let cyclesOurs = try await measureCycles(files: files)
        let cyclesRaw = try await measureRawCycles(files: files)
        let result: [String: Double] = [
            "enqueue_jobs": Double(jobs), "enqueue_seconds": enqueueOurs, "enqueue_raw_seconds": enqueueRaw,
            "cycles": Double(cycles), "cycles_per_second": Double(cycles) / cyclesOurs,
            "cycles_raw_per_second": Double(cycles) / cyclesRaw,
        ]
        print(String(decoding: try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]), as: UTF8.self))
    }

    private func freshDatabase(_ name: String) throws -> String {
        let path = (dir as NSString).appendingPathComponent(name)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        return path
    }

    private func syntheticFiles() -> [ImageFile] {
        (0..<jobs).map { i in
            ImageFile(path: "/bench/images/\(i).png", sha1: String(format: "%040x", i), size: 1000, format: .png)
        }
    }

    private func measureEnqueue() async throws -> Double {
        let database = try QueueDatabase.open(path: try freshDatabase("enqueue-ours.sqlite3"))
        let files = syntheticFiles()
        let start = Date()
        let result = try await Enqueuer(database: database).enqueueUploads(mod: "bench-mod", files: files)
        let seconds = Date().timeIntervalSince(start)
        precondition(result.queued.count == jobs)
        return seconds
    }

    private func measureRawEnqueue() throws -> Double {
        let path = try freshDatabase("enqueue-raw.sqlite3")
        _ = try QueueDatabase.open(path: path)
        let raw = RawSQLite(path: path)
        let files = syntheticFiles()
        let now = Date().timeIntervalSince1970
        let start = Date()
        raw.exec("BEGIN IMMEDIATE")
        for file in files {
            raw.run(
                """
                INSERT INTO jobs (kind, mod, state, file_path, file_sha1, file_size, image_ids, keep_unlisted, created_at, updated_at)
                VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?)
                """, ["upload", "bench-mod", file.path, file.sha1, file.size, nil, 0, now, now])
        }
        raw.run(
            "INSERT INTO job_counts (mod, state, n) VALUES (?, 'queued', ?) ON CONFLICT (mod, state) DO UPDATE SET n = n + excluded.n",
            ["bench-mod", files.count])
        raw.exec("COMMIT")
        return Date().timeIntervalSince(start)
    }

    /// Real small image files: the worker hashes each again before sending it.
    private func makeFiles() throws -> [String] {
        try TinyImages.write(count: cycles, in: (dir as NSString).appendingPathComponent("cycle-images"))
    }

    private func enqueueCycleJobs(_ database: QueueDatabase, files: [String]) async throws {
        let enqueuer = Enqueuer(database: database)
        for mod in 0..<mods {
            let mine = stride(from: mod, to: files.count, by: mods).map { files[$0] }
            _ = try await enqueuer.enqueueUploads(mod: "bench-mod-\(mod)", paths: mine)
        }
    }

    private func measureCycles(files: [String]) async throws -> Double {
        let database = try QueueDatabase.open(path: try freshDatabase("cycles-ours.sqlite3"))
        try await enqueueCycleJobs(database, files: files)
        let worker = Worker.instant(on: database)
        let start = Date()
        let report = await worker.run()
        let seconds = Date().timeIntervalSince(start)
        precondition(report.done == cycles, "only \(report.done) of \(cycles) jobs done")
        return seconds
    }

    /// The statements one upload job costs the worker, in its order, through the C API.
    private func measureRawCycles(files: [String]) async throws -> Double {
        let path = try freshDatabase("cycles-raw.sqlite3")
        try await enqueueCycleJobs(try QueueDatabase.open(path: path), files: files)
        let raw = RawSQLite(path: path)
        let start = Date()
        for _ in 0..<cycles {
            let now = Date().timeIntervalSince1970
            raw.exec("BEGIN IMMEDIATE")
            let id = raw.run(SQLiteJobStore.claimableJob, [now])!
            raw.run(SQLiteJobStore.takeClaim, ["token", now + 120, "host", 1, 1, now, id])
            raw.exec("COMMIT")
            for step in ["added", "done"] {
                raw.run("SELECT at, detail FROM worker_signals WHERE name = ?", ["api-key-rejected"])
                // Before the request: the claim confirmed and the budget charged, in one transaction.
                raw.exec("BEGIN IMMEDIATE")
                raw.run(
                    "UPDATE jobs SET lease_expires_at = ? WHERE id = ? AND claim_token = ? AND state IN ('queued', 'added') AND lease_expires_at > ?",
                    [now + 120, id, "token", now])
                raw.run("SELECT theoretical_arrival_time AS tat, paused_until, interval FROM rate_limits WHERE name = ?", ["portal"])
                raw.run(
                    """
                    INSERT INTO rate_limits (name, theoretical_arrival_time, paused_until, interval) VALUES (?, ?, 0, ?)
                    ON CONFLICT (name) DO UPDATE SET theoretical_arrival_time = excluded.theoretical_arrival_time
                    """, ["portal", now, 0.00001])
                if step == "done" { raw.run("UPDATE jobs SET upload_sent = 1 WHERE id = ? AND claim_token = ?", [id, "token"]) }
                raw.exec("COMMIT")
                raw.exec("BEGIN IMMEDIATE")
                if step == "added" {
                    raw.run(
                        """
                        UPDATE jobs SET state = 'added', upload_url = ?, last_error_code = NULL, last_error_message = NULL, updated_at = ?
                        WHERE id = ? AND claim_token = ? AND state = ? AND lease_expires_at > ?
                        """, ["http://127.0.0.1:9/upload", now, id, "token", "queued", now])
                } else {
                    raw.run(
                        """
                        UPDATE jobs SET state = 'done', result_image_id = ?, upload_url = NULL, last_error_code = NULL,
                          last_error_message = NULL, finished_at = ?, updated_at = ?, claim_token = NULL, lease_expires_at = NULL,
                          claim_host = NULL, claim_pid = NULL, claim_process_start = NULL
                        WHERE id = ? AND claim_token = ? AND state = ? AND lease_expires_at > ?
                        """, ["id", now, now, id, "token", "added", now])
                    raw.run(
                        "INSERT INTO images (mod, image_id, url, thumbnail, file_path, uploaded_at, job_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        ["m", "id", "u", "t", "f", now, id])
                }
                raw.run(
                    "INSERT INTO job_events (job_id, at, from_state, to_state, reason) VALUES (?, ?, ?, ?, ?)",
                    [id, now, "queued", step, "bench"])
                raw.exec("COMMIT")
            }
        }
        return Date().timeIntervalSince(start)
    }
}
