import Foundation
import ModPortal
import ModPortalSim
import TestSupport
import Testing

@testable import ModImgQueue

/// The worker on batches planned by `enqueue`: dependencies, mod-wide failures, concurrency.
@Suite struct WorkerBatchTests {
    func sha(_ seed: Int) -> String { ImageFixtures.sha1Hex(ImageFixtures.png(seed: seed)) }

    @Test func aReorderWhoseUploadFailedFailsNamingIt() async throws {
        try await withSimulator { sim, url in
            let q = try QueueFixture()
            let planner = EnqueuePlanner(database: q.database)
            let (_, outcome) = try await planner.enqueue(
                [GallerySpec(mod: "m", imagePaths: try q.pngs(1...2), prune: true)], galleries: ["m": []])
            sim.injectResponse(for: .upload, CannedResponse(status: 400, body: #"{"error":"InvalidImageUpload","message":"Invalid image file uploaded."}"#))
            let report = try await WorkerHarness(queue: q, baseURL: url).run()
            #expect(report.failed == 2)
            let reorder = try await QueueQueries(database: q.database).job(id: outcome.reorderJobs[0])
            #expect(reorder.state == .failed)
            #expect(reorder.lastFailure?.message == "dependency failed: upload job \(outcome.uploadJobs[0]) was failed, so its image will not be there")
            #expect(sim.state().requests["edit"] == 0)
        }
    }

    @Test func aReorderWhoseUploadWasCancelledThenPrunedFailsNamingItAndSendsNoEdit() async throws {
        try await withSimulator { sim, url in
            let q = try QueueFixture()
            let (_, outcome) = try await EnqueuePlanner(database: q.database).enqueue(
                [GallerySpec(mod: "m", imagePaths: try q.pngs(1...3), prune: true)], galleries: ["m": []])
            let maintenance = QueueMaintenance(database: q.database)
            #expect(try await maintenance.cancel(.jobs([outcome.uploadJobs[1]])).changed == [outcome.uploadJobs[1]])
            _ = try await maintenance.prune(PruneSelection(state: .cancelled))
            let report = try await WorkerHarness(queue: q, baseURL: url).run()
            #expect(report.done == 2)
            let reorder = try await q.job(outcome.reorderJobs[0])
            #expect(reorder.state == .failed)
            #expect(reorder.lastFailure?.message.hasPrefix("dependency cancelled: upload job \(outcome.uploadJobs[1]) was cancelled") == true)
            #expect(sim.state().requests["edit"] == 0)
        }
    }

    @Test func aReorderKeepingUnlistedImagesReadsTheGalleryJustBeforeTheEdit() async throws {
        try await withSimulator { sim, url in
            let q = try QueueFixture()
            let seeded = sim.seedGallery(mod: "m", images: [ImageFixtures.png(seed: 50), ImageFixtures.png(seed: 2)])
            let planner = EnqueuePlanner(database: q.database)
            // Planned without the listing: the reorder learns the unlisted images at run time.
            _ = try await planner.enqueue([GallerySpec(mod: "m", imagePaths: try q.pngs(1...2), prune: false)], galleries: [:])
            let report = try await WorkerHarness(queue: q, baseURL: url).run()
            #expect(report.failed == 0)
            #expect(sim.state().galleries["m"] == [sha(1), sha(2), seeded[0]])
        }
    }

    @Test func unknownModFailsTheModsOtherJobsWithoutRequests() async throws {
        try await withSimulator({ $0.knownMods = ["real"] }) { sim, url in
            let q = try QueueFixture()
            let ghost = try await Enqueuer(database: q.database).enqueueUploads(mod: "ghost", paths: try q.pngs(1...3)).queued
            let real = try await Enqueuer(database: q.database).enqueueUploads(mod: "real", paths: try q.pngs(4...4)).queued
            let report = try await WorkerHarness(queue: q, baseURL: url).run()
            #expect(report.failed == 3)
            #expect(report.done == 1)
            for id in ghost {
                let job = try await QueueQueries(database: q.database).job(id: id)
                #expect(job.state == .failed)
                #expect(job.lastFailure?.code.rawValue == "UnknownMod")
            }
            #expect(try await q.state(of: real[0]) == .done)
            #expect(sim.recordedRequests().filter { $0.call == .add }.count == 2)
        }
    }

    @Test func aKeyRefusedToOneWorkerStopsTheOthersOnTheDatabase() async throws {
        try await withSimulator { sim, url in
            let q = try QueueFixture()
            _ = try await Enqueuer(database: q.database).enqueueUploads(mod: "a", paths: try q.pngs(1...1))
            _ = try await Enqueuer(database: q.database).enqueueUploads(mod: "b", paths: try q.pngs(2...2))
            let good = WorkerHarness(queue: q, baseURL: url)
            let other = good.worker()  // started before the refusal
            let report = try await WorkerHarness(queue: q, baseURL: url, apiKey: "revoked").run()
            guard case .apiKeyRejected = report.stopCause else {
                Issue.record("first worker did not stop")
                return
            }
            let before = sim.state().requests["add"]
            let otherReport = await other.run()
            await good.portal.shutdown()
            guard case .apiKeyRejected = otherReport.stopCause else {
                Issue.record("the other worker kept going")
                return
            }
            #expect(sim.state().requests["add"] == before)
            #expect(try await q.count("SELECT COUNT(*) AS n FROM jobs WHERE state = 'queued'") == 2)
            // A worker started after the refusal (a new key) runs.
            let later = try await WorkerHarness(queue: q, baseURL: url).run()
            #expect(later.done == 2)
        }
    }

    @Test func concurrentSlotsRunDifferentModsButEachModInOrder() async throws {
        try await withSimulator({ $0.latencyMilliseconds = 10 }) { sim, url in
            let q = try QueueFixture()
            var expected: [String: [String]] = [:]
            for mod in 0..<4 {
                let seeds = (mod * 3 + 1)...(mod * 3 + 3)
                _ = try await Enqueuer(database: q.database).enqueueUploads(mod: "mod-\(mod)", paths: try q.pngs(seeds))
                expected["mod-\(mod)"] = seeds.map(sha)
            }
            let harness = WorkerHarness(queue: q, baseURL: url)
            var configuration = harness.configuration()
            configuration.concurrency = 4
            let report = try await harness.run(configuration)
            #expect(report.done == 12)
            #expect(sim.state().galleries == expected)
            // Within a mod, uploads land in queue order (the galleries above), and adds run at
            // most one ahead: never more than two of a mod's jobs added and not yet done.
            let paths = sim.recordedRequests().map(\.path)
            #expect(paths.count == 24)
            let events = try await q.database.read { db in
                try db.rows("SELECT j.mod, j.id, e.to_state FROM job_events e JOIN jobs j ON j.id = e.job_id WHERE e.to_state IN ('added', 'done') AND e.from_state IS NOT e.to_state ORDER BY e.id")
                    .map { ($0.string("mod") ?? "", $0.int("id") ?? 0, $0.string("to_state") ?? "") }
            }
            for mod in expected.keys {
                let ofMod = events.filter { $0.0 == mod }
                let doneOrder = ofMod.filter { $0.2 == "done" }.map(\.1)
                #expect(doneOrder == doneOrder.sorted(), "\(mod): uploads out of queue order: \(doneOrder)")
                var open = 0
                for event in ofMod {
                    open += event.2 == "added" ? 1 : -1
                    #expect(open <= 2, "\(mod): more than one add ahead: \(ofMod)")
                }
            }
        }
    }
}
