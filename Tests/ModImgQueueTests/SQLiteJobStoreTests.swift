import Foundation
import ModPortal
import TestSupport
import Testing

@testable import ModImgQueue

@Suite struct SQLiteJobStoreTests {
    let q: QueueFixture
    let enqueuer: Enqueuer

    init() throws {
        q = try QueueFixture()
        enqueuer = Enqueuer(store: q.store, now: { 1000 })
    }

    @Test func claimsTheOldestJobOfEachModOnlyAndOnlyOnce() throws {
        let a = try enqueuer.enqueueUploads(mod: "a", paths: try q.pngs(1...2)).queued
        let b = try enqueuer.enqueueUploads(mod: "b", paths: try q.pngs(3...3)).queued
        let first = try #require(try q.store.claim(owner: "w1", now: 1000, leaseSeconds: 60))
        #expect(first.id == a[0])
        // a's second job waits behind its first; b is free.
        let second = try #require(try q.store.claim(owner: "w2", now: 1000, leaseSeconds: 60))
        #expect(second.id == b[0])
        #expect(try q.store.claim(owner: "w3", now: 1000, leaseSeconds: 60) == nil)
    }

    @Test func anExpiredLeaseIsClaimedAgainAndTheOldOwnerLosesIt() throws {
        let ids = try enqueuer.enqueueUploads(mod: "a", paths: try q.pngs(1...1)).queued
        _ = try #require(try q.store.claim(owner: "dead", now: 1000, leaseSeconds: 30))
        #expect(try q.store.claim(owner: "w2", now: 1029, leaseSeconds: 30) == nil)
        let again = try #require(try q.store.claim(owner: "w2", now: 1030, leaseSeconds: 30))
        #expect(again.id == ids[0])
        #expect(throws: JobStoreError.leaseLost(jobID: ids[0])) {
            try q.store.recordAdded(jobID: ids[0], owner: "dead", uploadURL: URL(string: "http://x/u")!, now: 1031)
        }
        #expect(try q.store.renewLease(jobID: ids[0], owner: "dead", until: 2000) == false)
        #expect(try q.store.renewLease(jobID: ids[0], owner: "w2", until: 2000) == true)
    }

    @Test func addedStateKeepsTheUploadURLAndDoneRecordsHistory() throws {
        let ids = try enqueuer.enqueueUploads(mod: "a", paths: try q.pngs(1...1)).queued
        let job = try #require(try q.store.claim(owner: "w", now: 1000, leaseSeconds: 60))
        let url = URL(string: "http://127.0.0.1:1/api/v2/mods/images/upload/tok")!
        try q.store.recordAdded(jobID: job.id, owner: "w", uploadURL: url, now: 1001)
        let reread = try QueueQueries(store: q.store).job(id: ids[0])
        #expect(reread.state == .added)
        #expect(reread.uploadURL == url)
        let image = PortalImage(id: job.fileSHA1!, url: "http://a/x.png", thumbnail: "http://a/x.thumb.png")
        try q.store.recordUploaded(jobID: job.id, owner: "w", image: image, reason: "ok", now: 1002)
        #expect(try q.state(of: job.id) == .done)
        let history = try QueueQueries(store: q.store).history(mod: "a")
        #expect(history.map(\.id) == [job.fileSHA1!])
        #expect(history.first?.job == job.id)
        #expect(try QueueQueries(store: q.store).events(jobID: job.id).map(\.toState) == ["queued", "added", "done"])
    }

    @Test func retryWaitsOutItsBackoffAndCountsTheAttempt() throws {
        _ = try enqueuer.enqueueUploads(mod: "a", paths: try q.pngs(1...1)).queued
        let job = try #require(try q.store.claim(owner: "w", now: 1000, leaseSeconds: 60))
        try q.store.scheduleRetry(jobID: job.id, owner: "w", retryAt: 1100, errorCode: "HTTP503", errorMessage: "busy", now: 1000)
        #expect(try q.store.claim(owner: "w", now: 1099, leaseSeconds: 60) == nil)
        #expect(try q.store.openWork(now: 1099) == OpenWork(openJobs: 1, nextRunnableAt: 1100))
        let again = try #require(try q.store.claim(owner: "w", now: 1100, leaseSeconds: 60))
        #expect(again.attempts == 1)
        #expect(again.lastErrorCode == "HTTP503")
        let status = try QueueQueries(store: q.store).status(now: 1000)
        #expect(status.mods.first?.lastError == "HTTP503: busy")
    }

    @Test func releaseLeavesTheStateAndFreesTheJob() throws {
        _ = try enqueuer.enqueueUploads(mod: "a", paths: try q.pngs(1...1)).queued
        let job = try #require(try q.store.claim(owner: "w", now: 1000, leaseSeconds: 600))
        try q.store.release(jobID: job.id, owner: "w", reason: "stopping", now: 1001)
        #expect(try q.state(of: job.id) == .queued)
        #expect(try q.store.claim(owner: "other", now: 1002, leaseSeconds: 60)?.id == job.id)
    }

    @Test func statusCountsPerStateOverallAndPerMod() throws {
        _ = try enqueuer.enqueueUploads(mod: "a", paths: try q.pngs(1...2)).queued
        _ = try enqueuer.enqueueUploads(mod: "b", paths: try q.pngs(3...3)).queued
        let job = try #require(try q.store.claim(owner: "w", now: 1000, leaseSeconds: 60))
        try q.store.fail(jobID: job.id, owner: "w", errorCode: "InvalidImageUpload", errorMessage: "bad", now: 1001)
        let status = try QueueQueries(store: q.store).status(now: 1001)
        #expect(status.total.queued == 2)
        #expect(status.total.failed == 1)
        let a = try #require(status.mods.first { $0.mod == "a" })
        #expect(a.counts.failed == 1 && a.counts.queued == 1)
        #expect(a.lastError == "InvalidImageUpload: bad")
        #expect(try QueueQueries(store: q.store).status(mod: "b", now: 1001).mods.map(\.mod) == ["b"])
    }

    @Test func theCountsTableFollowsEveryInsertTransitionAndDelete() throws {
        _ = try enqueuer.enqueueUploads(mod: "a", paths: try q.pngs(1...3))
        _ = try enqueuer.enqueueReorder(mod: "b", images: [String(repeating: "c", count: 40)])
        let first = try #require(try q.store.claim(owner: "w", now: 1000, leaseSeconds: 60))
        try q.store.recordAdded(jobID: first.id, owner: "w", uploadURL: URL(string: "http://x/u")!, now: 1000)
        try q.store.recordUploaded(
            jobID: first.id, owner: "w", image: PortalImage(id: first.fileSHA1!, url: "u", thumbnail: "t"), reason: "ok", now: 1001)
        let second = try #require(try q.store.claim(owner: "w", now: 1002, leaseSeconds: 60))
        try q.store.fail(jobID: second.id, owner: "w", errorCode: "X", errorMessage: "y", now: 1002)
        _ = try QueueMaintenance(store: q.store, now: { 1003 }).cancel(.all(mod: "b"))
        _ = try QueueMaintenance(store: q.store, now: { 5000 }).prune(olderThan: 10)
        let counted = try q.store.withConnection { db in
            try db.rows("SELECT mod, state, COUNT(*) AS n FROM jobs GROUP BY mod, state ORDER BY mod, state").map {
                "\($0.string("mod")!)/\($0.string("state")!)=\($0.int("n")!)"
            }
        }
        let kept = try q.store.withConnection { db in
            try db.rows("SELECT mod, state, n FROM job_counts WHERE n > 0 ORDER BY mod, state").map {
                "\($0.string("mod")!)/\($0.string("state")!)=\($0.int("n")!)"
            }
        }
        #expect(kept == counted)
        #expect(counted == ["a/queued=1"])
    }
}
