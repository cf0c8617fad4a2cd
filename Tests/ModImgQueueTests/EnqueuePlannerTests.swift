import Foundation
import ModPortal
import ModPortalSim
import TestSupport
import Testing

@testable import ModImgQueue

@Suite struct EnqueuePlannerTests {
    func sha(_ seed: Int) -> String { ImageFixtures.sha1Hex(ImageFixtures.png(seed: seed)) }

    @Test func uploadsOnlyWhatTheGalleryLacksAndKeepsUnlistedImagesAfterTheListed() async throws {
        let q = try QueueFixture()
        let spec = GallerySpec(mod: "m", imagePaths: try q.pngs(1...3), prune: false)
        let extra = String(repeating: "e", count: 40)
        let plan = try await EnqueuePlanner(database: q.database).plan([spec], galleries: ["m": [extra, sha(2)]])
        let mod = try #require(plan.mods.first)
        #expect(mod.toUpload.map(\.sha1) == [sha(1), sha(3)])
        #expect(mod.alreadyThere.map(\.file.sha1) == [sha(2)])
        #expect(mod.finalOrder == [sha(1), sha(2), sha(3), extra])
        #expect(mod.toPrune.isEmpty)
        #expect(mod.reorder == .queue)
        #expect(plan.requestCount == 2 * 2 + 2)
    }

    @Test func pruneDropsUnlistedImages() async throws {
        let q = try QueueFixture()
        let spec = GallerySpec(mod: "m", imagePaths: try q.pngs(1...1), prune: true)
        let extra = String(repeating: "e", count: 40)
        let mod = try #require(try await EnqueuePlanner(database: q.database).plan([spec], galleries: ["m": [extra]]).mods.first)
        #expect(mod.finalOrder == [sha(1)])
        #expect(mod.toPrune == [extra])
    }

    @Test func applyingTwiceQueuesNothingTwiceAndTheReorderWaitsForItsUploads() async throws {
        let q = try QueueFixture()
        let planner = EnqueuePlanner(database: q.database)
        let specs = [GallerySpec(mod: "m", imagePaths: try q.pngs(1...2), prune: true)]
        let first = try await planner.enqueue(specs, galleries: ["m": []]).outcome
        #expect(first.uploadJobs.count == 2)
        #expect(first.reorderJobs.count == 1)
        let reorder = first.reorderJobs[0]
        #expect(try await q.store.dependencies(ofJob: reorder).map(\.job) == first.uploadJobs)
        let again = try await planner.plan(specs, galleries: ["m": []])
        #expect(again.mods[0].toUpload.isEmpty)
        #expect(again.mods[0].alreadyQueued.map(\.job) == first.uploadJobs)
        #expect(again.mods[0].reorder == .alreadyQueued(job: reorder))
        #expect(try await planner.enqueue(specs, galleries: ["m": []]).outcome == EnqueueOutcome())
        #expect(try await q.count("SELECT COUNT(*) AS n FROM jobs") == 3)
        // A queued reorder waits while its uploads are open.
        let status = try await QueueQueries(database: q.database).status()
        #expect(status.waitingOnDependencies == 1)
    }

    @Test func aGalleryAlreadyInOrderNeedsNothing() async throws {
        let q = try QueueFixture()
        let specs = [GallerySpec(mod: "m", imagePaths: try q.pngs(1...2), prune: false)]
        let plan = try await EnqueuePlanner(database: q.database).plan(specs, galleries: ["m": [sha(1), sha(2)]])
        #expect(plan.mods[0].toUpload.isEmpty)
        #expect(plan.mods[0].reorder == .notNeeded)
        #expect(plan.requestCount == 0)
    }

    @Test func withoutTheListingTheHistoryDecides() async throws {
        let q = try QueueFixture()
        let paths = try q.pngs(1...2)
        let ids = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: [paths[0]]).queued
        let claim = try #require(try await q.store.claim(by: .current, now: 1, leaseSeconds: 60))
        #expect(claim.job.id == ids[0])
        let added = try await q.store.recordAdded(claim, uploadURL: URL(string: "http://x/u")!, now: 2)
        try await q.store.recordUploaded(added, image: PortalImage(id: claim.job.upload!.sha1, url: "u", thumbnail: "t"), reason: "test", now: 2)
        let plan = try await EnqueuePlanner(database: q.database).plan([GallerySpec(mod: "m", imagePaths: paths, prune: false)], galleries: [:])
        #expect(plan.unreachableGalleries == ["m"])
        #expect(plan.mods[0].alreadyThere.map(\.file.sha1) == [sha(1)])
        #expect(plan.mods[0].toUpload.map(\.sha1) == [sha(2)])
    }

    @Test func oneBadFileInAnyModRejectsEverything() async throws {
        let q = try QueueFixture()
        let bad = q.dir.file("bad.png")
        try Data("nope".utf8).write(to: URL(fileURLWithPath: bad))
        let specs = [
            GallerySpec(mod: "a", imagePaths: try q.pngs(1...2), prune: false),
            GallerySpec(mod: "b", imagePaths: [bad], prune: false),
        ]
        await #expect(throws: ImageFileError.notAnImage(bad)) { try await EnqueuePlanner(database: q.database).plan(specs, galleries: [:]) }
        #expect(try await q.count("SELECT COUNT(*) AS n FROM jobs") == 0)
    }

    @Test func uploadOfAKnownFileSaysSoAndQueuesNothing() async throws {
        let q = try QueueFixture()
        let paths = try q.pngs(1...1)
        let copy = q.dir.file("copy-of-1.png")
        try FileManager.default.copyItem(atPath: paths[0], toPath: copy)
        let result = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: paths + [copy])
        #expect(result.queued.count == 1)
        #expect(result.skipped.map(\.path) == [copy])
        let again = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: paths)
        #expect(again.queued.isEmpty)
        #expect(again.skipped.first?.reason.contains("already queued") == true)
        // Another mod may have the same image.
        #expect(try await Enqueuer(database: q.database).enqueueUploads(mod: "other", paths: paths).queued.count == 1)
    }

    @Test func reorderTakesFilesAndWaitsForTheirPendingUploads() async throws {
        let q = try QueueFixture()
        let paths = try q.pngs(1...2)
        let uploads = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: [paths[0]]).queued
        let reorder = try await Enqueuer(database: q.database).enqueueReorder(mod: "m", images: [paths[1], sha(1)])
        let job = try await QueueQueries(database: q.database).job(id: reorder)
        #expect(job.reorder?.imageIDs == [sha(2), sha(1)])
        #expect(try await q.store.dependencies(ofJob: reorder).map(\.job) == uploads)
    }

    @Test func galleriesAreReadFromTheListingWithRetries() async throws {
        try await withSimulator { sim, url in
            let seeded = sim.seedGallery(mod: "m", images: [ImageFixtures.png(seed: 1)])
            sim.injectResponse(for: .full, CannedResponse(status: 503, headers: ["Retry-After": "0"], body: "busy"))
            let portal = HTTPPortalClient(baseURL: url, apiKey: nil)
            let galleries = try await GalleryReader.read(mods: ["m", "empty"], portal: portal, portalURL: url.absoluteString)
                .galleries
            await portal.shutdown()
            #expect(galleries["m"] == seeded)
            #expect(galleries["empty"] == [])
        }
    }
}
