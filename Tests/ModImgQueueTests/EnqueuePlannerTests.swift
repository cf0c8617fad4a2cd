import Foundation
import ModPortal
import ModPortalSim
import TestSupport
import Testing

@testable import ModImgQueue

@Suite struct EnqueuePlannerTests {
    func sha(_ seed: Int) -> String { ImageFixtures.sha1Hex(ImageFixtures.png(seed: seed)) }

    @Test func uploadsOnlyWhatTheGalleryLacksAndKeepsUnlistedImagesAfterTheListed() throws {
        let q = try QueueFixture()
        let spec = GallerySpec(mod: "m", imagePaths: try q.pngs(1...3), prune: false)
        let extra = String(repeating: "e", count: 40)
        let plan = try EnqueuePlanner(store: q.store).plan([spec], galleries: ["m": [extra, sha(2)]])
        let mod = try #require(plan.mods.first)
        #expect(mod.toUpload.map(\.sha1) == [sha(1), sha(3)])
        #expect(mod.alreadyThere.map(\.file.sha1) == [sha(2)])
        #expect(mod.finalOrder == [sha(1), sha(2), sha(3), extra])
        #expect(mod.toPrune.isEmpty)
        #expect(mod.reorder == .queue)
        #expect(plan.requestCount == 2 * 2 + 2)
    }

    @Test func pruneDropsUnlistedImages() throws {
        let q = try QueueFixture()
        let spec = GallerySpec(mod: "m", imagePaths: try q.pngs(1...1), prune: true)
        let extra = String(repeating: "e", count: 40)
        let mod = try #require(try EnqueuePlanner(store: q.store).plan([spec], galleries: ["m": [extra]]).mods.first)
        #expect(mod.finalOrder == [sha(1)])
        #expect(mod.toPrune == [extra])
    }

    @Test func applyingTwiceQueuesNothingTwiceAndTheReorderWaitsForItsUploads() throws {
        let q = try QueueFixture()
        let planner = EnqueuePlanner(store: q.store)
        let specs = [GallerySpec(mod: "m", imagePaths: try q.pngs(1...2), prune: true)]
        let first = try planner.apply(try planner.plan(specs, galleries: ["m": []]))
        #expect(first.uploadJobs.count == 2)
        #expect(first.reorderJobs.count == 1)
        let reorder = first.reorderJobs[0]
        #expect(try q.store.dependencies(ofJob: reorder).map(\.job) == first.uploadJobs)
        let again = try planner.plan(specs, galleries: ["m": []])
        #expect(again.mods[0].toUpload.isEmpty)
        #expect(again.mods[0].alreadyQueued.map(\.job) == first.uploadJobs)
        #expect(again.mods[0].reorder == .alreadyQueued(job: reorder))
        #expect(try planner.apply(again) == EnqueueOutcome())
        #expect(try q.count("SELECT COUNT(*) AS n FROM jobs") == 3)
        // A queued reorder waits while its uploads are open.
        let status = try QueueQueries(store: q.store).status()
        #expect(status.waitingOnDependencies == 1)
    }

    @Test func aGalleryAlreadyInOrderNeedsNothing() throws {
        let q = try QueueFixture()
        let specs = [GallerySpec(mod: "m", imagePaths: try q.pngs(1...2), prune: false)]
        let plan = try EnqueuePlanner(store: q.store).plan(specs, galleries: ["m": [sha(1), sha(2)]])
        #expect(plan.mods[0].toUpload.isEmpty)
        #expect(plan.mods[0].reorder == .notNeeded)
        #expect(plan.requestCount == 0)
    }

    @Test func withoutTheListingTheHistoryDecides() throws {
        let q = try QueueFixture()
        let paths = try q.pngs(1...2)
        let ids = try Enqueuer(store: q.store).enqueueUploads(mod: "m", paths: [paths[0]]).queued
        let job = try #require(try q.store.claim(owner: "w", now: 1, leaseSeconds: 60))
        try q.store.recordUploaded(jobID: ids[0], owner: "w", image: PortalImage(id: job.fileSHA1!, url: "u", thumbnail: "t"), reason: "test", now: 2)
        let plan = try EnqueuePlanner(store: q.store).plan([GallerySpec(mod: "m", imagePaths: paths, prune: false)], galleries: [:])
        #expect(plan.unreachableGalleries == ["m"])
        #expect(plan.mods[0].alreadyThere.map(\.file.sha1) == [sha(1)])
        #expect(plan.mods[0].toUpload.map(\.sha1) == [sha(2)])
    }

    @Test func oneBadFileInAnyModRejectsEverything() throws {
        let q = try QueueFixture()
        let bad = q.dir.file("bad.png")
        try Data("nope".utf8).write(to: URL(fileURLWithPath: bad))
        let specs = [
            GallerySpec(mod: "a", imagePaths: try q.pngs(1...2), prune: false),
            GallerySpec(mod: "b", imagePaths: [bad], prune: false),
        ]
        #expect(throws: ImageFileError.notAnImage(bad)) { try EnqueuePlanner(store: q.store).plan(specs, galleries: [:]) }
        #expect(try q.count("SELECT COUNT(*) AS n FROM jobs") == 0)
    }

    @Test func uploadOfAKnownFileSaysSoAndQueuesNothing() throws {
        let q = try QueueFixture()
        let paths = try q.pngs(1...1)
        let copy = q.dir.file("copy-of-1.png")
        try FileManager.default.copyItem(atPath: paths[0], toPath: copy)
        let result = try Enqueuer(store: q.store).enqueueUploads(mod: "m", paths: paths + [copy])
        #expect(result.queued.count == 1)
        #expect(result.skipped.map(\.path) == [copy])
        let again = try Enqueuer(store: q.store).enqueueUploads(mod: "m", paths: paths)
        #expect(again.queued.isEmpty)
        #expect(again.skipped.first?.reason.contains("already queued") == true)
        // Another mod may have the same image.
        #expect(try Enqueuer(store: q.store).enqueueUploads(mod: "other", paths: paths).queued.count == 1)
    }

    @Test func reorderTakesFilesAndWaitsForTheirPendingUploads() throws {
        let q = try QueueFixture()
        let paths = try q.pngs(1...2)
        let uploads = try Enqueuer(store: q.store).enqueueUploads(mod: "m", paths: [paths[0]]).queued
        let reorder = try Enqueuer(store: q.store).enqueueReorder(mod: "m", images: [paths[1], sha(1)])
        let job = try QueueQueries(store: q.store).job(id: reorder)
        #expect(job.imageIDs == [sha(2), sha(1)])
        #expect(try q.store.dependencies(ofJob: reorder).map(\.job) == uploads)
    }

    @Test func galleriesAreReadFromTheListingWithRetries() async throws {
        try await withSimulator { sim, url in
            let seeded = sim.seedGallery(mod: "m", images: [ImageFixtures.png(seed: 1)])
            sim.injectResponse(for: .full, CannedResponse(status: 503, headers: ["Retry-After": "0"], body: "busy"))
            let portal = HTTPPortalClient(baseURL: url, apiKey: nil)
            let galleries = await GalleryReader.read(mods: ["m", "empty"], portal: portal)
            await portal.shutdown()
            #expect(galleries["m"] == seeded)
            #expect(galleries["empty"] == [])
        }
    }
}
