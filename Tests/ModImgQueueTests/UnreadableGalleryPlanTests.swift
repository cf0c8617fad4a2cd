import Foundation
import ModPortal
import ModPortalSim
import TestSupport
import Testing

@testable import ModImgQueue

/// A mod whose listing could not be read is left out of the plan, not planned from the history.
@Suite struct UnreadableGalleryPlanTests {
    @Test func aModWhoseListingCannotBeReadIsLeftOutAndTheOthersArePlanned() async throws {
        try await withSimulator { sim, url in
            let q = try QueueFixture()
            let a = GallerySpec(mod: "a", imagePaths: try q.pngs(1...2), prune: false)
            let b = GallerySpec(mod: "b", imagePaths: try q.pngs(3...3), prune: false)
            _ = sim.seedGallery(mod: "a", images: [ImageFixtures.png(seed: 1)])
            // Read one at a time, "a" first: its three tries meet the three failures.
            for _ in 1...3 {
                sim.injectResponse(for: .full, CannedResponse(status: 503, headers: ["Content-Type": "text/html"], body: "<html></html>"))
            }
            let listings = try await withListingClient(url) { portal in
                try await GalleryReader.read(
                    mods: ["a", "b"], portal: portal, portalURL: url.absoluteString, clock: JumpingClock(), concurrency: 1)
            }
            #expect(listings.unreadable == ["a"])
            #expect(listings.unreadableReasons["a"]?.contains("HTTP 503") == true)
            let split = listings.readable([a, b])
            #expect(split.readable.map(\.mod) == ["b"])
            #expect(split.unreadable == ["a"])
            let (plan, outcome) = try await EnqueuePlanner(database: q.database).enqueue(split.readable, galleries: listings.galleries)
            #expect(plan.mods.map(\.mod) == ["b"])
            #expect(outcome.uploadJobs.count == 1)
            #expect(try await q.count("SELECT count(*) AS n FROM jobs WHERE mod = 'a'") == 0)
            let sentence = GalleryListingError.notPlannedUnreadable(mods: split.unreadable, reasons: listings.unreadableReasons).description
            #expect(sentence.hasPrefix("could not read the gallery of a (server error HTTP 503"), "\(sentence)")
            #expect(sentence.contains("nothing was queued for it") && sentence.contains("--offline"))
        }
    }
}
