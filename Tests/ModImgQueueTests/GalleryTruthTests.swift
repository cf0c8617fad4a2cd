import Foundation
import ModPortal
import ModPortalSim
import TestSupport
import Testing

@testable import ModImgQueue

/// Every edit and view of a gallery follows one model (`GalleryModel`): against a listing that
/// lags (counted in reads, so always), a remove keeps what the queue uploaded and never brings
/// back what it took out, and `verify` and the dashboard's preview agree with the portal.
@Suite struct GalleryTruthTests {
    func sha(_ seed: Int) -> String { ImageFixtures.sha1Hex(ImageFixtures.png(seed: seed)) }

    /// The listing shows each gallery as it was before the last write for this many reads:
    /// more than the two looks a reorder takes, so every look the worker makes is stale.
    static func lagging(_ configuration: inout SimConfiguration) { configuration.tricks.listingLagReads = 3 }

    func run(_ q: QueueFixture, _ url: URL) async throws -> WorkerReport {
        let harness = WorkerHarness(queue: q, baseURL: url)
        var configuration = harness.configuration()
        configuration.concurrency = 1
        return try await harness.run(configuration)
    }

    @Test func aRemoveKeepsAnImageUploadedJustBeforeItThatTheListingDoesNotShowYet() async throws {
        try await withSimulator(Self.lagging) { sim, url in
            let q = try QueueFixture()
            let seeded = sim.seedGallery(mod: "m", images: [ImageFixtures.png(seed: 1), ImageFixtures.png(seed: 2)])
            let enqueuer = Enqueuer(database: q.database)
            _ = try await enqueuer.enqueueUploads(mod: "m", paths: try q.pngs(3...3))
            _ = try await enqueuer.enqueueRemoval(mod: "m", images: [seeded[1]])
            let report = try await run(q, url)
            #expect(report.done == 2 && report.failed == 0)
            #expect((sim.state().tricks["listing-lag"] ?? 0) > 0, "no listing lagged: the test proves nothing")
            #expect(sim.state().galleries["m"] == [seeded[0], sha(3)])
        }
    }

    @Test func aSecondRemoveDoesNotBringBackWhatTheFirstTookOut() async throws {
        try await withSimulator(Self.lagging) { sim, url in
            let q = try QueueFixture()
            let ids = sim.seedGallery(mod: "m", images: (1...3).map { ImageFixtures.png(seed: $0) })
            let enqueuer = Enqueuer(database: q.database)
            _ = try await enqueuer.enqueueRemoval(mod: "m", images: [ids[0]])
            _ = try await enqueuer.enqueueRemoval(mod: "m", images: [ids[1]])
            let report = try await run(q, url)
            #expect(report.done == 2 && report.failed == 0)
            #expect((sim.state().tricks["listing-lag"] ?? 0) > 0, "no listing lagged: the test proves nothing")
            #expect(sim.state().galleries["m"] == [ids[2]])
            #expect(try await QueueQueries(database: q.database).galleryModel(mod: "m").images == [ids[2]])
        }
    }

    @Test func aManifestKeepingUnlistedImagesKeepsTheUploadsBeforeIt() async throws {
        try await withSimulator(Self.lagging) { sim, url in
            let q = try QueueFixture()
            let seeded = sim.seedGallery(mod: "m", images: [ImageFixtures.png(seed: 9)])
            _ = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: try q.pngs(1...1))
            #expect(try await run(q, url).done == 1)
            _ = try await EnqueuePlanner(database: q.database).enqueue(
                [GallerySpec(mod: "m", imagePaths: try q.pngs(2...2), prune: false)], galleries: [:])
            #expect(try await run(q, url).failed == 0)
            #expect(sim.state().galleries["m"] == [sha(2), seeded[0], sha(1)])
        }
    }

    @Test func verifyAndThePreviewFollowAPruneThenAFolderThatKeepsTheRest() async throws {
        try await withSimulator { sim, url in
            let q = try QueueFixture()
            let planner = EnqueuePlanner(database: q.database)
            let files = try q.pngs(1...4)
            _ = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: Array(files[0...2]))
            #expect(try await run(q, url).done == 3)
            // A manifest that prunes 3, then a folder (prune off) that adds 4 and keeps the rest.
            _ = try await planner.enqueue(
                [GallerySpec(mod: "m", imagePaths: [files[1], files[0]], prune: true)], galleries: ["m": sim.state().galleries["m"] ?? []])
            #expect(try await run(q, url).failed == 0)
            _ = try await planner.enqueue(
                [GallerySpec(mod: "m", imagePaths: [files[3]], prune: false)], galleries: ["m": sim.state().galleries["m"] ?? []])
            #expect(try await run(q, url).failed == 0)
            let portal = try #require(sim.state().galleries["m"])
            #expect(!portal.contains(sha(3)))
            let preview = try await QueueQueries(database: q.database).gallery(mod: "m")
            #expect(preview.items.map(\.imageID) == portal)
            try await withListingClient(url, apiKey: APIKey(SimDefaults.apiKey)) { client in
                let verifier = GalleryVerifier(
                    database: q.database, portal: client, portalURL: url.absoluteString, rate: Rate(count: 1000, period: 1))
                let drift = try #require(try await verifier.verify(mods: ["m"]).first?.drift)
                #expect(drift.inSync, "\(drift)")
            }
        }
    }

    @Test func verifyReadsALaggingListingOnceMoreBeforeItSaysDrifted() async throws {
        try await withSimulator({ $0.tricks.listingLagReads = 1 }) { sim, url in
            let q = try QueueFixture()
            _ = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: try q.pngs(1...1))
            #expect(try await run(q, url).done == 1)
            try await withListingClient(url, apiKey: APIKey(SimDefaults.apiKey)) { client in
                let verifier = GalleryVerifier(
                    database: q.database, portal: client, portalURL: url.absoluteString, rate: Rate(count: 1000, period: 1),
                    listingLagSeconds: 0.01)
                let drift = try #require(try await verifier.verify(mods: ["m"]).first?.drift)
                #expect(drift.inSync, "\(drift)")
            }
            #expect(sim.state().tricks["listing-lag"] == 1, "no listing lagged: the test proves nothing")
        }
    }

    @Test func aPlanMadeFromALaggingListingLeavesOutWhatARemoveTookOutAndKeepsWhatWasUploaded() async throws {
        try await withSimulator { sim, url in
            let q = try QueueFixture()
            let files = try q.pngs(1...4)
            let enqueuer = Enqueuer(database: q.database)
            _ = try await enqueuer.enqueueUploads(mod: "m", paths: Array(files[0...1]))
            _ = try await enqueuer.enqueueRemoval(mod: "m", images: [files[1]])
            _ = try await enqueuer.enqueueUploads(mod: "m", paths: [files[2]])
            #expect(try await run(q, url).failed == 0)
            #expect(sim.state().galleries["m"] == [sha(1), sha(3)])
            // A listing from before the remove and the last upload, as a cache may still answer.
            let stale = [sha(1), sha(2)]
            let plan = try await EnqueuePlanner(database: q.database).plan(
                [GallerySpec(mod: "m", imagePaths: [files[3]], prune: false)], galleries: ["m": stale])
            let mod = try #require(plan.mods.first)
            #expect(mod.finalOrder == [sha(4), sha(1), sha(3)])
            #expect(mod.alreadyThere.isEmpty && mod.toUpload.map(\.sha1) == [sha(4)])
        }
    }
}
