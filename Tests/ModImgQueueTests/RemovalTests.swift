import Foundation
import ModPortalSim
import TestSupport
import Testing

@testable import ModImgQueue

/// `remove`: a reorder that keeps the live gallery minus some images.
@Suite struct RemovalTests {
    @Test func idsAreNormalisedFilesHashedAndRepeatsRemovedOnce() async throws {
        let q = try QueueFixture()
        let files = try q.pngs(1...2)
        let shas = (1...2).map { ImageFixtures.sha1Hex(ImageFixtures.png(seed: $0)) }
        let id = try await Enqueuer(database: q.database).enqueueRemoval(
            mod: "m", images: [shas[0].uppercased(), files[1], shas[0]])
        let job = try await q.job(id)
        #expect(job.kind == .reorder)
        #expect(job.reorder == Job.Reorder(imageIDs: [], keepUnlisted: true, excludedIDs: shas))
        let queued = try #require(try await QueueQueries(database: q.database).events(jobID: id).first)
        #expect(queued.reason == "queued removal of \(shas[0]), \(shas[1]) from the gallery as it is just before the edit")
    }

    @Test func aBadIDOrAMissingFileQueuesNothing() async throws {
        let q = try QueueFixture()
        let enqueuer = Enqueuer(database: q.database)
        let good = String(repeating: "ab", count: 20)
        await #expect(throws: QueueError.invalidImageID("xyz")) { try await enqueuer.enqueueRemoval(mod: "m", images: [good, "xyz"]) }
        let missing = q.dir.file("gone.png")
        await #expect(throws: QueueError.invalidImageID(missing)) { try await enqueuer.enqueueRemoval(mod: "m", images: [missing]) }
        await #expect(throws: QueueError.invalidModName("a b")) { try await enqueuer.enqueueRemoval(mod: "a b", images: [good]) }
        await #expect(throws: QueueError.noImages) { try await enqueuer.enqueueRemoval(mod: "m", images: []) }
        #expect(try await q.count("SELECT COUNT(*) AS n FROM jobs") == 0)
    }

    @Test func theWorkerSendsTheLiveGalleryMinusTheRemovedImages() async throws {
        try await withSimulator { sim, url in
            let q = try QueueFixture()
            let gallery = sim.seedGallery(mod: "m", images: (1...4).map { ImageFixtures.png(seed: $0) })
            let files = try q.pngs(3...3)
            let job = try await Enqueuer(database: q.database).enqueueRemoval(mod: "m", images: [gallery[1].uppercased(), files[0]])
            // Images that reach the gallery after the removal was queued are kept: it is read just before the edit.
            let later = sim.seedGallery(mod: "m", images: [ImageFixtures.png(seed: 5)])
            let report = try await WorkerHarness(queue: q, baseURL: url).run()
            #expect(report.done == 1 && report.failed == 0)
            #expect(try await q.state(of: job) == .done)
            #expect(sim.state().galleries["m"] == [gallery[0], gallery[3], later[0]])
            #expect(sim.state().requests["edit"] == 1)
        }
    }

    @Test func removingAnImageNotInTheGalleryLeavesItAsItIs() async throws {
        try await withSimulator { sim, url in
            let q = try QueueFixture()
            let gallery = sim.seedGallery(mod: "m", images: (1...2).map { ImageFixtures.png(seed: $0) })
            _ = try await Enqueuer(database: q.database).enqueueRemoval(mod: "m", images: [String(repeating: "cd", count: 20)])
            let report = try await WorkerHarness(queue: q, baseURL: url).run()
            #expect(report.done == 1)
            #expect(sim.state().galleries["m"] == gallery)
        }
    }
}
