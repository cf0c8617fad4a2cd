import Foundation
import ModPortal
import Synchronization
import TestSupport
import Testing

@testable import ModImgQueue

/// Where a worker's work runs when its slots prefer the database's serial queue (as in `work`):
/// database calls there, file hashing and portal calls (multipart bodies, their hashing) never.
@Suite struct WorkerExecutorTests {
    /// A scripted portal that notes, at every call, whether the call runs on the database's queue,
    /// and hashes the whole file of every upload as a real client does while it streams it.
    final class WatchingPortal: PortalClient {
        let database: QueueDatabase
        let scripted = ScriptedPortal()
        private let seen = Mutex<[String: [Bool]]>([:])

        init(database: QueueDatabase) {
            self.database = database
        }

        /// For each call, whether each of its runs was on the database's queue.
        var onDatabaseQueue: [String: [Bool]] { seen.withLock { $0 } }

        private func note(_ call: String) {
            let here = database.isCurrentQueue
            seen.withLock { $0[call, default: []].append(here) }
        }

        func add(mod: String) async throws(PortalError) -> URL {
            note("add")
            return try await scripted.add(mod: mod)
        }

        func upload(_ upload: ImageUpload, to uploadURL: URL) async throws(PortalError) -> PortalImage {
            note("upload")
            let image = try await scripted.upload(upload, to: uploadURL)
            note("upload")
            return image
        }

        func edit(mod: String, imageIDs: [String]) async throws(PortalError) -> [PortalImage] {
            note("edit")
            return try await scripted.edit(mod: mod, imageIDs: imageIDs)
        }

        func gallery(mod: String) async throws(PortalError) -> [PortalImage] {
            note("gallery")
            return try await scripted.gallery(mod: mod)
        }
    }

    @Test func fileChecksAndPortalCallsRunOffTheDatabaseQueueTheSlotsPrefer() async throws {
        let q = try QueueFixture()
        let enqueuer = Enqueuer(database: q.database)
        _ = try await enqueuer.enqueueUploads(mod: "mod-a", paths: try q.pngs(1...3))
        _ = try await enqueuer.enqueueUploads(mod: "mod-b", paths: try q.pngs(4...6))
        _ = try await enqueuer.enqueueReorder(
            mod: "mod-a", images: (1...3).reversed().map { ImageFixtures.sha1Hex(ImageFixtures.png(seed: $0)) })
        let portal = WatchingPortal(database: q.database)
        var configuration = WorkerConfiguration()
        configuration.concurrency = 3
        configuration.pollInterval = 0.005
        configuration.executor = q.database.executor
        let checkpoints = Mutex<[WorkerCheckpoint: [Bool]]>([:])
        let worker = Worker(
            store: q.store, portal: portal,
            budget: SQLiteRequestBudget(database: q.database, limit: CellRateLimit(rate: Rate(count: 1000, period: 1))),
            clock: SystemClock(), configuration: configuration,
            checkpoint: { point, _ in
                let here = q.database.isCurrentQueue
                checkpoints.withLock { $0[point, default: []].append(here) }
            })
        let report = await worker.run()
        #expect(report.done == 7)
        let seen = checkpoints.withLock { $0 }
        // The slots do run on the database's queue (right after a write), so what follows is not
        // true merely because nothing ever runs there.
        #expect(seen[.afterAddCommitted]?.isEmpty == false)
        #expect(seen[.afterAddCommitted]?.allSatisfy { $0 } == true)
        // Every file check (open, size, SHA1 of the whole file) ran elsewhere.
        #expect((seen[.afterFileChecked]?.count ?? 0) >= 6)
        #expect(seen[.afterFileChecked]?.contains(true) == false)
        // So did every portal call, before and after its answer.
        let calls = portal.onDatabaseQueue
        #expect(Set(calls.keys).isSuperset(of: ["add", "upload", "edit"]))
        for (call, runs) in calls {
            #expect(!runs.contains(true), "\(call) ran on the database's queue")
        }
    }
}
