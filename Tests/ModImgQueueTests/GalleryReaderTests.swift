import Foundation
import ModPortal
import ModPortalSim
import Synchronization
import TestSupport
import Testing

@testable import ModImgQueue

/// How `enqueue` reads listings: unknown mods are collected, an unreachable portal ends the read.
@Suite struct GalleryReaderTests {
    @Test func modsThePortalDoesNotKnowAreCollectedAndTheOthersRead() async throws {
        try await withSimulator({ $0.knownMods = ["m", "n"] }) { sim, url in
            let seeded = sim.seedGallery(mod: "m", images: [ImageFixtures.png(seed: 1)])
            let seen = Mutex<[Int]>([])
            let listings = try await withListingClient(url) { portal in
                try await GalleryReader.read(
                    mods: ["ghost", "m", "n", "gone"], portal: portal, portalURL: url.absoluteString,
                    progress: { read, _ in seen.withLock { $0.append(read) } })
            }
            #expect(listings.unknownMods == ["ghost", "gone"])
            #expect(listings.galleries == ["m": seeded, "n": []])
            #expect(listings.unreadable.isEmpty)
            let counts = seen.withLock { $0 }
            #expect(counts == [1, 2, 3, 4])
        }
    }

    @Test func anHTMLNotFoundPageIsNotAnUnknownModButAnUnreadableListing() async throws {
        try await withSimulator { sim, url in
            for _ in 1...3 {
                sim.injectResponse(for: .full, CannedResponse(status: 404, headers: ["Content-Type": "text/html"], body: "<html><title>404 Not Found</title></html>"))
            }
            let listings = try await withListingClient(url) { portal in
                try await GalleryReader.read(mods: ["m"], portal: portal, portalURL: url.absoluteString, clock: JumpingClock())
            }
            #expect(listings.unknownMods.isEmpty)
            #expect(listings.unreadable == ["m"])
            #expect(sim.state().requests["full", default: 0] == 3)
        }
    }

    @Test func aRefusedConnectionEndsTheReadAtOnceNamingTheURL() async throws {
        let url = URL(string: "http://127.0.0.1:1")!
        let clock = JumpingClock()
        await #expect(throws: GalleryListingError.portalUnreachable(url: url.absoluteString, detail: "connection refused by 127.0.0.1:1: nothing listens there", offline: true)) {
            try await withListingClient(url) { portal in
                try await GalleryReader.read(mods: ["a", "b", "c"], portal: portal, portalURL: url.absoluteString, clock: clock)
            }
        }
        // Not retried: nothing was waited for between tries.
        #expect(clock.slept == 0)
        let sentence = GalleryListingError.portalUnreachable(url: url.absoluteString, detail: "connection refused", offline: true).description
        #expect(sentence.contains("http://127.0.0.1:1") && sentence.contains("--portal-url") && sentence.contains("--offline"))
    }
}
