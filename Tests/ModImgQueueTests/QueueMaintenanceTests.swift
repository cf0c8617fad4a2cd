import Foundation
import ModPortal
import TestSupport
import Testing

@testable import ModImgQueue

@Suite struct QueueMaintenanceTests {
    @Test func retryPutsFailedJobsBackWithFreshAttempts() throws {
        let q = try QueueFixture()
        let ids = try Enqueuer(store: q.store).enqueueUploads(mod: "m", paths: try q.pngs(1...2)).queued
        let job = try #require(try q.store.claim(owner: "w", now: 1, leaseSeconds: 60))
        try q.store.scheduleRetry(jobID: job.id, owner: "w", retryAt: 2, errorCode: "HTTP503", errorMessage: "x", now: 1)
        _ = try #require(try q.store.claim(owner: "w", now: 2, leaseSeconds: 60))
        try q.store.fail(jobID: job.id, owner: "w", errorCode: "InvalidImageUpload", errorMessage: "bad", now: 3)
        let maintenance = QueueMaintenance(store: q.store)
        let outcome = try maintenance.retry(.jobs([ids[0], ids[1]]))
        #expect(outcome.changed == [ids[0]])
        #expect(outcome.skipped[ids[1]] == "it is queued")
        let retried = try QueueQueries(store: q.store).job(id: ids[0])
        #expect(retried.state == .queued)
        #expect(retried.attempts == 0)
        #expect(retried.lastErrorCode == nil)
        #expect(throws: QueueError.unknownJob(999)) { try maintenance.retry(.jobs([999])) }
    }

    @Test func retryFailedSelectsByMod() throws {
        let q = try QueueFixture()
        _ = try Enqueuer(store: q.store).enqueueUploads(mod: "a", paths: try q.pngs(1...1))
        _ = try Enqueuer(store: q.store).enqueueUploads(mod: "b", paths: try q.pngs(2...2))
        for _ in 0..<2 {
            let job = try #require(try q.store.claim(owner: "w", now: 1, leaseSeconds: 60))
            try q.store.fail(jobID: job.id, owner: "w", errorCode: "X", errorMessage: "y", now: 1)
        }
        let outcome = try QueueMaintenance(store: q.store).retry(.all(mod: "b"))
        #expect(outcome.changed.count == 1)
        #expect(try QueueQueries(store: q.store).status().mods.first { $0.mod == "a" }?.counts.failed == 1)
    }

    @Test func cancelTouchesOnlyWhatHasNotStarted() throws {
        let q = try QueueFixture()
        let ids = try Enqueuer(store: q.store).enqueueUploads(mod: "m", paths: try q.pngs(1...3)).queued
        let started = try #require(try q.store.claim(owner: "w", now: Date().timeIntervalSince1970, leaseSeconds: 600))
        try q.store.recordAdded(jobID: started.id, owner: "w", uploadURL: URL(string: "http://x/u")!, now: 1)
        let outcome = try QueueMaintenance(store: q.store).cancel(.all(mod: "m"))
        #expect(outcome.changed == [ids[1], ids[2]])
        #expect(try q.state(of: ids[0]) == .added)
        let byID = try QueueMaintenance(store: q.store).cancel(.jobs([ids[0]]))
        #expect(byID.skipped[ids[0]] == "it is added")
        #expect(try QueueQueries(store: q.store).events(jobID: ids[1]).last?.reason == "cancelled by request")
    }

    @Test func pruneRemovesOldFinishedJobsButKeepsHistory() throws {
        let q = try QueueFixture()
        let ids = try Enqueuer(store: q.store).enqueueUploads(mod: "m", paths: try q.pngs(1...2)).queued
        let job = try #require(try q.store.claim(owner: "w", now: 1, leaseSeconds: 60))
        try q.store.recordUploaded(jobID: job.id, owner: "w", image: PortalImage(id: job.fileSHA1!, url: "u", thumbnail: "t"), reason: "ok", now: 100)
        let maintenance = QueueMaintenance(store: q.store, now: { 100 + 31 * 86_400 })
        #expect(try maintenance.prune(olderThan: try #require(Durations.seconds("30d"))) == 1)
        #expect(try q.count("SELECT COUNT(*) AS n FROM jobs") == 1)
        #expect(try q.count("SELECT COUNT(*) AS n FROM job_events WHERE job_id = ?", [ids[0]]) == 0)
        let history = try QueueQueries(store: q.store).history(mod: "m")
        #expect(history.map(\.id) == [job.fileSHA1!])
        #expect(history[0].job == nil)
        #expect(try QueueMaintenance(store: q.store, now: { 100 + 29 * 86_400 }).prune(olderThan: 30 * 86_400) == 0)
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
