import ArgumentParser
import Foundation
import ModImgQueue
import ModPortal

/// The worker's pace (jobs done per second, against an instant portal) on a queue of `jobs`
/// queued uploads over `mods` mods, measured over its first `measured` jobs: a claim whose cost
/// grew with the queue would make a big queue slower than a small one.
///
/// The measured jobs are real files, queued first and round-robin over the mods; the rest of the
/// queue is queued after them (files never opened). Jobs of equal readiness are claimed oldest
/// first, so with one slot the measured jobs are exactly the first ones done.
struct WorkerPaceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "worker-pace")

    @Option var dir: String
    @Option var jobs = 20_000
    @Option var mods = 1
    @Option var measured = 300

    func run() async throws {
        let path = (dir as NSString).appendingPathComponent("pace-\(jobs)-\(mods).sqlite3")
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let database = try QueueDatabase.open(path: path)
        try await fill(database)
        let worker = Worker.instant(on: database)
        let start = Date()
        async let report = worker.run()
        var done = 0
        var seconds = 0.0
        for await event in worker.events {
            switch event {
            case .uploaded: done += 1
            case .failed(let job, _, let failure, _) where done < measured: fatalError("job \(job) failed: \(failure.description)")
            default: continue
            }
            if done == measured {
                seconds = Date().timeIntervalSince(start)
                worker.stop()
            }
        }
        _ = await report
        precondition(done >= measured, "only \(done) of \(measured) jobs done")
        let result: [String: Double] = [
            "jobs": Double(jobs), "mods": Double(mods), "measured": Double(measured), "jobs_per_second": Double(measured) / seconds,
        ]
        print(String(decoding: try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]), as: UTF8.self))
    }

    private func fill(_ database: QueueDatabase) async throws {
        let enqueuer = Enqueuer(database: database)
        let real = try TinyImages.write(count: measured, in: (dir as NSString).appendingPathComponent("pace-images"))
        for (i, file) in real.enumerated() {
            _ = try await enqueuer.enqueueUploads(mod: Self.mod(i % mods), paths: [file])
        }
        var rest = Array(repeating: [ImageFile](), count: mods)
        for i in measured..<max(jobs, measured) {
            rest[i % mods].append(
                ImageFile(path: "/bench/never-opened/\(i).png", sha1: String(format: "%040x", i), size: 1000, format: .png))
        }
        for (mod, files) in rest.enumerated() where !files.isEmpty {
            _ = try await enqueuer.enqueueUploads(mod: Self.mod(mod), files: files)
        }
    }

    static func mod(_ index: Int) -> String { String(format: "pace-mod-%05d", index) }
}
