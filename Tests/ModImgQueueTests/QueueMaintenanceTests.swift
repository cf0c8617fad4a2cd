import Foundation
import ModPortal
import TestSupport
import Testing

@testable import ModImgQueue

@Suite struct QueueMaintenanceTests {
    @Test func retryPutsFailedJobsBackWithFreshAttempts() async throws {
        let q = try QueueFixture()
        let ids = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: try q.pngs(1...2)).queued
        let claim = try #require(try await q.store.claim(by: .current, now: 1, leaseSeconds: 60))
        try await q.store.scheduleRetry(claim, retryAt: 2, failure: JobFailure(.portal("HTTP503"), "x"), now: 1)
        let again = try #require(try await q.store.claim(by: .current, now: 2, leaseSeconds: 60))
        try await q.store.fail(again, failure: JobFailure(.portal("InvalidImageUpload"), "bad"), now: 3)
        let maintenance = QueueMaintenance(database: q.database)
        let outcome = try await maintenance.retry(.jobs([ids[0], ids[1]]))
        #expect(outcome.changed == [ids[0]])
        #expect(outcome.skipped[ids[1]] == "it is queued")
        let retried = try await QueueQueries(database: q.database).job(id: ids[0])
        #expect(retried.state == .queued)
        #expect(retried.attempts == 0)
        #expect(retried.lastFailure == nil)
        await #expect(throws: QueueError.unknownJob(999)) { try await maintenance.retry(.jobs([999])) }
    }

    @Test func retryFailedSelectsByMod() async throws {
        let q = try QueueFixture()
        _ = try await Enqueuer(database: q.database).enqueueUploads(mod: "a", paths: try q.pngs(1...1))
        _ = try await Enqueuer(database: q.database).enqueueUploads(mod: "b", paths: try q.pngs(2...2))
        for _ in 0..<2 {
            let claim = try #require(try await q.store.claim(by: .current, now: 1, leaseSeconds: 60))
            try await q.store.fail(claim, failure: JobFailure(.portal("X"), "y"), now: 1)
        }
        let outcome = try await QueueMaintenance(database: q.database).retry(.all(mod: "b"))
        #expect(outcome.changed.count == 1)
        #expect(try await QueueQueries(database: q.database).status().mods.first { $0.mod == "a" }?.counts.failed == 1)
    }

    @Test func cancelTouchesOnlyOpenJobsNoLiveClaimHolds() async throws {
        let q = try QueueFixture()
        let ids = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: try q.pngs(1...3)).queued
        let now = Date().timeIntervalSince1970
        let started = try #require(try await q.store.claim(by: .current, now: now, leaseSeconds: 600))
        _ = try await q.store.recordAdded(started, uploadURL: URL(string: "http://x/u")!, now: now)
        let outcome = try await QueueMaintenance(database: q.database).cancel(.all(mod: "m"))
        #expect(outcome.changed == [ids[1], ids[2]])
        #expect(outcome.held.keys.sorted() == [ids[0]])
        let byID = try await QueueMaintenance(database: q.database).cancel(.jobs([ids[0]]))
        #expect(byID.held[ids[0]]?.contains("holds it until") == true)
        #expect(try await q.state(of: ids[0]) == .added)
        let again = try await QueueMaintenance(database: q.database).cancel(.jobs([ids[1]]))
        #expect(again.skipped[ids[1]] == "it is cancelled")
        #expect(try await QueueQueries(database: q.database).events(jobID: ids[1]).last?.reason == "cancelled by request")
    }

    @Test func pruneRemovesOldFinishedJobsButKeepsHistory() async throws {
        let q = try QueueFixture()
        let ids = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: try q.pngs(1...2)).queued
        let claim = try #require(try await q.store.claim(by: .current, now: 1, leaseSeconds: 600))
        let added = try await q.store.recordAdded(claim, uploadURL: URL(string: "http://x/u")!, now: 2)
        try await q.store.recordUploaded(added, image: PortalImage(id: claim.job.upload!.sha1, url: "u", thumbnail: "t"), reason: "ok", now: 100)
        let maintenance = QueueMaintenance(database: q.database, now: { 100 + 31 * 86_400 })
        #expect(try await maintenance.prune(olderThan: try #require(Durations.seconds("30d"))) == 1)
        #expect(try await q.count("SELECT COUNT(*) AS n FROM jobs") == 1)
        #expect(try await q.count("SELECT COUNT(*) AS n FROM job_events WHERE job_id = ?", [ids[0]]) == 0)
        let history = try await QueueQueries(database: q.database).history(mod: "m")
        #expect(history.map(\.id) == [claim.job.upload!.sha1])
        #expect(history[0].job == nil)
        #expect(try await QueueMaintenance(database: q.database, now: { 100 + 29 * 86_400 }).prune(olderThan: 30 * 86_400) == 0)
    }

    @Test func durations() {
        #expect(Durations.seconds("30d") == 2_592_000)
        #expect(Durations.seconds("90s") == 90)
        #expect(Durations.seconds("2w") == 1_209_600)
        #expect(Durations.seconds("30") == nil)
        #expect(Durations.seconds("d") == nil)
        #expect(Durations.seconds("-1d") == nil)
    }
}
