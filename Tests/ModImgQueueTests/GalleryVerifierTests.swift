import Foundation
import ModPortal
import ModPortalSim
import Synchronization
import TestSupport
import Testing

@testable import ModImgQueue

/// `verify` against the in-process simulator: the live listing compared with the database.
@Suite struct GalleryVerifierTests {
    static let fast = Rate(count: 1000, period: 1)

    /// Records `images` as uploaded for `mod`, as the worker does.
    func recordUploads(_ q: QueueFixture, mod: String, ids: [String], at time: Double = 10) async throws {
        for id in ids {
            try await q.execute(
                "INSERT INTO images (mod, image_id, url, thumbnail, file_path, uploaded_at) VALUES (?, ?, 'u', 't', NULL, ?)",
                [mod, id, time])
            try await q.execute(
                "INSERT INTO gallery_log (mod, at, kind, image_ids) VALUES (?, ?, 'uploaded', ?)", [mod, time, id])
        }
    }

    /// Records a done reorder of `mod` to `ids`.
    func recordReorder(_ q: QueueFixture, mod: String, ids: [String], keepUnlisted: Bool = false, at time: Double = 20)
        async throws
    {
        try await q.execute(
            """
            INSERT INTO jobs (kind, mod, state, image_ids, keep_unlisted, created_at, updated_at, finished_at)
            VALUES ('reorder', ?, 'done', ?, ?, ?, ?, ?)
            """, [mod, ids.joined(separator: ","), keepUnlisted, time, time, time])
        try await q.execute(
            "INSERT INTO gallery_log (mod, at, kind, image_ids) VALUES (?, ?, 'edited', ?)", [mod, time, ids.joined(separator: ",")])
    }

    @Test func aGalleryAsTheQueueLeftItIsInSyncAndChangesBehindItsBackAreFound() async throws {
        let q = try QueueFixture()
        try await withSimulator { sim, url in
            let ids = sim.seedGallery(mod: "m", images: [ImageFixtures.png(seed: 1), ImageFixtures.png(seed: 2)])
            try await recordUploads(q, mod: "m", ids: ids)
            try await recordReorder(q, mod: "m", ids: ids)
            try await withListingClient(url, apiKey: APIKey(SimDefaults.apiKey)) { portal in
                let verifier = GalleryVerifier(database: q.database, portal: portal, portalURL: url.absoluteString, rate: Self.fast)
                #expect(try await verifier.modsInHistory() == ["m"])
                #expect(try await verifier.verify(mods: ["m"]).map(\.inSync) == [true])

                // Someone adds an image through the portal's site.
                let extra = sim.seedGallery(mod: "m", images: [ImageFixtures.png(seed: 3)])
                var drift = try #require(try await verifier.verify(mods: ["m"]).first?.drift)
                #expect(drift.unknownToHistory == extra)
                #expect(drift.missingOnPortal.isEmpty && !drift.orderDiffers)

                // Someone reorders with another tool and drops an image.
                _ = try await portal.edit(mod: "m", imageIDs: [ids[1], ids[0]])
                drift = try #require(try await verifier.verify(mods: ["m"]).first?.drift)
                #expect(drift.orderDiffers)
                #expect(drift.unknownToHistory.isEmpty)
                _ = try await portal.edit(mod: "m", imageIDs: [ids[1]])
                drift = try #require(try await verifier.verify(mods: ["m"]).first?.drift)
                #expect(drift.missingOnPortal == [ids[0]])
                #expect(sim.state().requests["full", default: 0] >= 4)
            }
        }
    }

    @Test func modsThePortalDoesNotKnowAreSaidEachAndTheOthersStillChecked() async throws {
        let q = try QueueFixture()
        try await withSimulator({ $0.knownMods = ["m"] }) { sim, url in
            try await withListingClient(url) { portal in
                let verifier = GalleryVerifier(database: q.database, portal: portal, portalURL: url.absoluteString, rate: Self.fast)
                let results = try await verifier.verify(mods: ["ghost", "m", "gone"])
                #expect(results.map(\.mod) == ["ghost", "m", "gone"])
                #expect(results.map(\.exitStatus) == [2, 0, 2])
                #expect(results[0].outcome == .unknownMod && results[2].outcome == .unknownMod)
                await #expect(throws: QueueError.invalidModName("My Mod!")) { try await verifier.verify(mods: ["My Mod!"]) }
            }
            #expect(sim.state().requests["full", default: 0] == 3)
        }
    }

    @Test func aPortalThatRefusesConnectionsIsSaidAtOnce() async throws {
        let q = try QueueFixture()
        let url = URL(string: "http://127.0.0.1:1")!
        try await withListingClient(url) { portal in
            let verifier = GalleryVerifier(database: q.database, portal: portal, portalURL: url.absoluteString, rate: Self.fast)
            await #expect(throws: GalleryListingError.portalUnreachable(url: url.absoluteString, detail: "connection refused by 127.0.0.1:1: nothing listens there", offline: false)) {
                try await verifier.verify(mods: ["m"])
            }
        }
    }

    @Test func everyListingReadIsChargedToTheSharedBudget() async throws {
        let q = try QueueFixture()
        try await withSimulator { sim, url in
            let clock = JumpingClock()
            try await withListingClient(url) { portal in
                // Another process spent the budget just now: one request a minute.
                let rate = Rate(count: 1, period: 60)
                let other = SQLiteRequestBudget(database: q.database, limit: CellRateLimit(rate: rate))
                #expect(try await other.tryAcquire(now: clock.now()) == nil)
                let waits = Mutex<[Double]>([])
                let verifier = GalleryVerifier(
                    database: q.database, portal: portal, portalURL: url.absoluteString, rate: rate, clock: clock)
                let drifts = try await verifier.verify(mods: ["a", "b"], waiting: { seconds in waits.withLock { $0.append(seconds) } })
                #expect(drifts.map(\.inSync) == [true, true])
                // Each of the two reads waited for its turn, a minute apart.
                let waited = waits.withLock { $0.count }
                #expect(waited == 2)
                #expect(clock.slept >= 120)
                #expect(sim.state().requests["full", default: 0] == 2)
            }
        }
    }
}

/// A client that fails at once on a refused connection, shut down whatever `body` does.
func withListingClient<T>(_ url: URL, apiKey: APIKey? = nil, _ body: (HTTPPortalClient) async throws -> T) async throws -> T {
    let portal = HTTPPortalClient(baseURL: url, apiKey: apiKey, retryingConnections: false)
    do {
        let result = try await body(portal)
        await portal.shutdown()
        return result
    } catch {
        await portal.shutdown()
        throw error
    }
}

/// A clock whose sleeps pass at once, moving its time forward.
final class JumpingClock: WorkerClock {
    private let state = Mutex((now: 1_000_000.0, slept: 0.0))

    func now() -> Double { state.withLock { $0.now } }

    var slept: Double { state.withLock { $0.slept } }

    func sleep(seconds: Double) async {
        state.withLock {
            $0.now += max(0, seconds)
            $0.slept += max(0, seconds)
        }
    }
}
