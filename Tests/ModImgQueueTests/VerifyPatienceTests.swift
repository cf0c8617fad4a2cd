import Foundation
import ModPortal
import ModPortalSim
import Synchronization
import TestSupport
import Testing

@testable import ModImgQueue

/// `verify` waits out a portal's passing troubles with the worker's backoff, and one mod's
/// unreadable listing leaves the others' answers standing.
@Suite struct VerifyPatienceTests {
    static let fast = Rate(count: 1000, period: 1)
    /// The portal's own answer when it is asked too often.
    static let tooMany = CannedResponse(
        status: 429, headers: ["Content-Type": "application/json", "Retry-After": "30"],
        body: #"{"error":"InternalError","message":"Too many requests"}"#)
    static let internalError = CannedResponse(
        status: 500, body: #"{"error":"InternalError","message":"Internal error, please try again later."}"#)
    static let unavailable = CannedResponse(
        status: 503, headers: ["Content-Type": "text/html"], body: "<html><title>503 Service Temporarily Unavailable</title></html>")

    @Test func aListingThatFailsAFewTimesIsReadAgainWithTheWorkersBackoffAndRetryAfter() async throws {
        let q = try QueueFixture()
        try await withSimulator { sim, url in
            // The first mod's first three reads: a 503 page, the portal's 429 with Retry-After, an InternalError.
            for response in [Self.unavailable, Self.tooMany, Self.internalError] { sim.injectResponse(for: .full, response) }
            let clock = JumpingClock()
            let retries = Mutex<[ListingRetry]>([])
            try await withListingClient(url) { portal in
                let verifier = GalleryVerifier(
                    database: q.database, portal: portal, portalURL: url.absoluteString, rate: Self.fast, clock: clock,
                    unitRandom: { 0 })
                let results = try await verifier.verify(mods: ["a", "b"], retrying: { retry in retries.withLock { $0.append(retry) } })
                #expect(results.map(\.exitStatus) == [0, 0], "\(results)")
                #expect(results.map(\.retries) == [3, 0])
            }
            // The worker's backoff (base 2 s, doubled, half of it jittered away here), and the 429's 30 s.
            #expect(retries.withLock { $0.map(\.delay) } == [1, 30, 4])
            #expect(retries.withLock { $0.map(\.attempt) } == [1, 2, 3])
            #expect(clock.slept >= 35)
            // The Retry-After held back every request on this database, as a worker's 429 does.
            let paused = try await q.database.read { db in try db.row("SELECT paused_until FROM rate_limits")?.double("paused_until") }
            #expect((paused ?? 0) > 1_000_000)
            #expect(sim.state().requests["full", default: 0] == 5)
        }
    }

    @Test func aListingThatStaysUnreadableIsReportedForItsModAndTheOthersAreStillChecked() async throws {
        let q = try QueueFixture()
        try await withSimulator { sim, url in
            // "a" is read first: every one of its tries fails.
            let policy = RetryPolicy(baseDelay: 2, maxDelay: 60, maxAttempts: 4)
            for _ in 0..<policy.maxAttempts { sim.injectResponse(for: .full, Self.tooMany) }
            let extra = sim.seedGallery(mod: "c", images: [ImageFixtures.png(seed: 5)])
            try await withListingClient(url) { portal in
                let verifier = GalleryVerifier(
                    database: q.database, portal: portal, portalURL: url.absoluteString, rate: Self.fast, clock: JumpingClock(),
                    policy: policy)
                let results = try await verifier.verify(mods: ["a", "b", "c"])
                #expect(results.map(\.mod) == ["a", "b", "c"])
                #expect(results[0].outcome == .unreadable(reason: "InternalError: Too many requests", attempts: 4), "\(results[0])")
                #expect(results[1].inSync)
                #expect(results[2].drift?.unknownToHistory == extra)
                #expect(results.map(\.exitStatus) == [2, 0, 1])
            }
            #expect(sim.state().requests["full", default: 0] == 6)
        }
    }

    @Test func driftNamesTheFilesTheHistoryKnowsAndTheCommandThatBringsTheGalleryBack() async throws {
        let q = try QueueFixture()
        try await withSimulator { sim, url in
            let paths = try q.pngs(1...3)
            let ids = sim.seedGallery(mod: "m", images: (1...3).map { ImageFixtures.png(seed: $0) })
            for (id, path) in zip(ids, paths) {
                try await q.execute(
                    "INSERT INTO images (mod, image_id, url, thumbnail, file_path, uploaded_at) VALUES ('m', ?, 'u', 't', ?, 10)",
                    [id, path])
                try await q.execute("INSERT INTO gallery_log (mod, at, kind, image_ids) VALUES ('m', 10, 'uploaded', ?)", [id])
            }
            try await q.execute("INSERT INTO gallery_log (mod, at, kind, image_ids) VALUES ('m', 20, 'edited', ?)", [ids.joined(separator: ",")])
            let stranger = sim.seedGallery(mod: "m", images: [ImageFixtures.png(seed: 9)])
            try await withListingClient(url, apiKey: APIKey(SimDefaults.apiKey)) { portal in
                let verifier = GalleryVerifier(database: q.database, portal: portal, portalURL: url.absoluteString, rate: Self.fast)
                // Another tool reverses the order and adds an image.
                _ = try await portal.edit(mod: "m", imageIDs: [ids[2], ids[1], ids[0], stranger[0]])
                var result = try #require(try await verifier.verify(mods: ["m"]).first)
                #expect(result.repair == DriftRepair(arguments: ["reorder", "m"] + ids + ["--prune"], lost: []))
                // Only the stranger: take it out, leave the rest as it is.
                _ = try await portal.edit(mod: "m", imageIDs: ids + stranger)
                result = try #require(try await verifier.verify(mods: ["m"]).first)
                #expect(result.repair == DriftRepair(arguments: ["remove", "m"] + stranger, lost: []))
                // An image gone: named by its file; the rest is in order, so no command but the upload.
                _ = try await portal.edit(mod: "m", imageIDs: [ids[0], ids[2]])
                result = try #require(try await verifier.verify(mods: ["m"]).first)
                #expect(result.drift?.missingOnPortal == [ids[1]])
                #expect(result.files == [ids[1]: paths[1]])
                #expect(result.repair == DriftRepair(arguments: nil, lost: [ids[1]]))
            }
        }
    }
}
