import Foundation
import ModPortal
import TestSupport
import Testing

@testable import ModImgQueue

/// The store's claims: every write names a claim and succeeds only while the job still carries
/// its token, is in the expected state and the lease has not run out.
@Suite struct ClaimStoreTests {
    let q: QueueFixture
    let enqueuer: Enqueuer
    static let here = ClaimHolder(host: "test-host", pid: 4242, processStart: 7)

    init() throws {
        q = try QueueFixture()
        enqueuer = Enqueuer(database: q.database, now: { 1000 })
    }

    func claim(at now: Double, lease: Double = 60, by holder: ClaimHolder = here) async throws -> Claim? {
        try await q.store.claim(by: holder, now: now, leaseSeconds: lease)
    }

    static func image(_ claim: Claim) -> PortalImage {
        PortalImage(id: claim.job.upload?.sha1 ?? "", url: "http://a/x.png", thumbnail: "http://a/x.thumb.png")
    }

    @Test func claimsTheOldestJobOfEachModAndAtMostOneAddAheadOnlyOnce() async throws {
        let a = try await enqueuer.enqueueUploads(mod: "a", paths: try q.pngs(1...3)).queued
        let b = try await enqueuer.enqueueUploads(mod: "b", paths: try q.pngs(4...4)).queued
        let first = try #require(try await claim(at: 1000))
        #expect(first.job.id == a[0] && !first.addAhead)
        // Before a's first job has made its own add, nothing of a is added ahead: b's job comes next.
        let third = try #require(try await claim(at: 1000))
        #expect(third.job.id == b[0] && !third.addAhead)
        #expect(try await claim(at: 1000) == nil)
        // While a's first upload is in flight (its add made), its second may add ahead; its third waits.
        _ = try await q.store.recordAdded(first, uploadURL: URL(string: "http://x/v")!, now: 1000)
        let second = try #require(try await claim(at: 1000))
        #expect(second.job.id == a[1] && second.addAhead)
        #expect(Set([first.token, second.token, third.token]).count == 3)
        #expect(try await claim(at: 1000) == nil)
    }

    @Test func aJobAddedAheadIsGivenBackAndUploadsOnlyAsItsModsOldestOpenJob() async throws {
        let a = try await enqueuer.enqueueUploads(mod: "a", paths: try q.pngs(1...2)).queued
        let first = try #require(try await claim(at: 1000))
        let firstAdded = try await q.store.recordAdded(first, uploadURL: URL(string: "http://x/v")!, now: 1000)
        let ahead = try #require(try await claim(at: 1000))
        #expect(ahead.job.id == a[1] && ahead.addAhead)
        let added = try await q.store.recordAdded(ahead, uploadURL: URL(string: "http://x/u")!, now: 1001)
        try await q.store.release(added, reason: "added ahead", now: 1001)
        // Its upload waits for the first job, however long that one is held...
        #expect(try await claim(at: 1002) == nil)
        // ...and, once the first is done, it is the oldest: claimed to upload, not to add ahead.
        try await q.store.recordUploaded(
            firstAdded, image: PortalImage(id: String(repeating: "a", count: 40), url: "", thumbnail: ""), reason: "ok", now: 1004)
        let turn = try #require(try await claim(at: 1005))
        #expect(turn.job.id == a[1] && !turn.addAhead && turn.job.state == .added)
    }

    @Test func anExpiredClaimIsTakenAgainAndTheOldClaimCanWriteNothing() async throws {
        let ids = try await enqueuer.enqueueUploads(mod: "a", paths: try q.pngs(1...1)).queued
        // Two claims from the same process (two slots): only the token tells them apart.
        let stalled = try #require(try await claim(at: 1000, lease: 30))
        #expect(try await claim(at: 1029, lease: 30) == nil)
        let fresh = try #require(try await claim(at: 1030, lease: 30))
        #expect(fresh.job.id == ids[0])
        await #expect(throws: ClaimLost(jobID: ids[0])) {
            try await q.store.recordAdded(stalled, uploadURL: URL(string: "http://x/u")!, now: 1031)
        }
        #expect(try await q.store.confirm(stalled, now: 1031, leaseSeconds: 30) == nil)
        #expect(try await q.store.confirm(fresh, now: 1031, leaseSeconds: 30)?.expiresAt == 1061)
        _ = try await q.store.recordAdded(fresh, uploadURL: URL(string: "http://x/u")!, now: 1032)
        #expect(try await q.events(ids[0]) == ["queued", "added"])
    }

    @Test func aClaimWhoseLeaseRanOutWritesNothingEvenIfNobodyTookIt() async throws {
        _ = try await enqueuer.enqueueUploads(mod: "a", paths: try q.pngs(1...1))
        let claim = try #require(try await claim(at: 1000, lease: 30))
        await #expect(throws: ClaimLost.self) {
            try await q.store.recordAdded(claim, uploadURL: URL(string: "http://x/u")!, now: 1030)
        }
        #expect(try await q.store.confirm(claim, now: 1030, leaseSeconds: 30) == nil)
        #expect(try await q.state(of: claim.job.id) == .queued)
    }

    @Test func aWriteExpectingAnotherStateIsRefused() async throws {
        _ = try await enqueuer.enqueueUploads(mod: "a", paths: try q.pngs(1...1))
        let claim = try #require(try await claim(at: 1000))
        // recordUploaded expects `added`; the job is still `queued`.
        await #expect(throws: ClaimLost.self) {
            try await q.store.recordUploaded(claim, image: Self.image(claim), reason: "ok", now: 1001)
        }
        let added = try await q.store.recordAdded(claim, uploadURL: URL(string: "http://x/u")!, now: 1001)
        #expect(added.job.state == .added)
        // The claim as it was before `add` expects `queued`, so it cannot write `added` twice.
        await #expect(throws: ClaimLost.self) {
            try await q.store.recordAdded(claim, uploadURL: URL(string: "http://x/v")!, now: 1002)
        }
        try await q.store.recordUploaded(added, image: Self.image(added), reason: "ok", now: 1003)
        #expect(try await q.events(claim.job.id) == ["queued", "added", "done"])
        #expect(try await QueueQueries(database: q.database).history(mod: "a").map(\.job) == [claim.job.id])
    }

    @Test func cancelClearsAnExpiredClaimSoItsHolderCanNoLongerWrite() async throws {
        _ = try await enqueuer.enqueueUploads(mod: "a", paths: try q.pngs(1...1))
        let claim = try #require(try await claim(at: 1000, lease: 30))
        let outcome = try await QueueMaintenance(database: q.database, now: { 1040 }).cancel(.jobs([claim.job.id]))
        #expect(outcome.changed == [claim.job.id])
        #expect(try await q.count("SELECT COUNT(*) AS n FROM jobs WHERE claim_token IS NOT NULL") == 0)
        // Even at a time when the old lease would still look valid to a slow clock.
        await #expect(throws: ClaimLost.self) {
            try await q.store.recordAdded(claim, uploadURL: URL(string: "http://x/u")!, now: 1001)
        }
        #expect(try await q.events(claim.job.id) == ["queued", "cancelled"])
    }

    @Test func cancelAndRetryRefuseAJobALiveClaimHoldsAndSayWhoAndUntilWhen() async throws {
        _ = try await enqueuer.enqueueUploads(mod: "a", paths: try q.pngs(1...1))
        let claim = try #require(try await claim(at: 1000, lease: 60))
        let outcome = try await QueueMaintenance(database: q.database, now: { 1010 }).cancel(.jobs([claim.job.id]))
        #expect(outcome.changed.isEmpty)
        let why = try #require(outcome.held[claim.job.id])
        #expect(why.contains("test-host pid 4242"))
        #expect(why.contains(LocalMoment.text(1060, now: 1010)))
        #expect(try await q.state(of: claim.job.id) == .queued)
        // The claim still works.
        _ = try await q.store.recordAdded(claim, uploadURL: URL(string: "http://x/u")!, now: 1011)
    }

    @Test func aDeadProcessOnThisHostLosesItsClaimAtOnceALiveOneOrAnotherHostsDoesNot() async throws {
        let ids = try await enqueuer.enqueueUploads(mod: "a", paths: try q.pngs(1...1)).queued
        let b = try await enqueuer.enqueueUploads(mod: "b", paths: try q.pngs(2...2)).queued
        let c = try await enqueuer.enqueueUploads(mod: "c", paths: try q.pngs(3...3)).queued
        let dead = ClaimHolder(host: "test-host", pid: 111, processStart: 5)
        let alive = ClaimHolder(host: "test-host", pid: 222, processStart: 6)
        let elsewhere = ClaimHolder(host: "other-host", pid: 111, processStart: 5)
        let deadClaim = try #require(try await claim(at: 1000, lease: 120, by: dead))
        _ = try #require(try await claim(at: 1000, lease: 120, by: alive))
        _ = try #require(try await claim(at: 1000, lease: 120, by: elsewhere))
        struct Probe: ProcessProbe {
            func isRunning(pid: Int32, startedAt: Int64?) -> Bool { pid == 222 && startedAt == 6 }
        }
        let freed = try await q.store.releaseClaimsOfDeadProcesses(on: "test-host", probe: Probe(), now: 1001)
        #expect(freed == [deadClaim.job.id])
        #expect(deadClaim.job.id == ids[0])
        let again = try #require(try await claim(at: 1002))
        #expect(again.job.id == ids[0])
        #expect(try await claim(at: 1002) == nil)
        #expect(Set([b[0], c[0]]).count == 2)
        await #expect(throws: ClaimLost.self) {
            try await q.store.recordAdded(deadClaim, uploadURL: URL(string: "http://x/u")!, now: 1003)
        }
    }

    @Test func theRealProcessTableKnowsThisProcessAndNotAReusedPid() {
        let table = ProcessTable()
        let me = ClaimHolder.current
        #expect(table.isRunning(pid: me.pid, startedAt: me.processStart))
        if let start = me.processStart {
            #expect(!table.isRunning(pid: me.pid, startedAt: start + 1))
        }
        #expect(!table.isRunning(pid: Int32.max - 1, startedAt: nil))
    }

    @Test func retryWaitsOutItsBackoffAndCountsTheAttempt() async throws {
        _ = try await enqueuer.enqueueUploads(mod: "a", paths: try q.pngs(1...1)).queued
        let claim = try #require(try await claim(at: 1000))
        try await q.store.scheduleRetry(claim, retryAt: 1100, failure: JobFailure(.portal("HTTP503"), "busy"), now: 1000)
        #expect(try await self.claim(at: 1099) == nil)
        #expect(try await q.store.openWork(now: 1099) == OpenWork(openJobs: 1, nextRunnableAt: 1100))
        let again = try #require(try await self.claim(at: 1100))
        #expect(again.job.attempts == 1)
        #expect(again.job.lastFailure == JobFailure(.portal("HTTP503"), "busy"))
        let status = try await QueueQueries(database: q.database).status(now: 1000)
        #expect(status.mods.first?.lastError?.description == "HTTP503: busy")
    }

    @Test func releaseLeavesTheStateAndFreesTheJob() async throws {
        _ = try await enqueuer.enqueueUploads(mod: "a", paths: try q.pngs(1...1)).queued
        let claim = try #require(try await claim(at: 1000, lease: 600))
        try await q.store.release(claim, reason: "stopping", now: 1001)
        #expect(try await q.state(of: claim.job.id) == .queued)
        #expect(try await self.claim(at: 1002)?.job.id == claim.job.id)
    }

    @Test func statusShowsHeldJobsAndCountsPerStateOverallAndPerMod() async throws {
        _ = try await enqueuer.enqueueUploads(mod: "a", paths: try q.pngs(1...2)).queued
        _ = try await enqueuer.enqueueUploads(mod: "b", paths: try q.pngs(3...3)).queued
        let claim = try #require(try await claim(at: 1000))
        try await q.store.fail(claim, failure: JobFailure(.portal("InvalidImageUpload"), "bad"), now: 1001)
        let held = try #require(try await self.claim(at: 1001))
        let status = try await QueueQueries(database: q.database).status(now: 1001)
        #expect(status.total.queued == 2)
        #expect(status.total.failed == 1)
        #expect(status.held == [HeldJob(job: held.job.id, mod: held.job.mod, holder: Self.here, until: 1061)])
        let a = try #require(status.mods.first { $0.mod == "a" })
        #expect(a.counts.failed == 1 && a.counts.queued == 1)
        #expect(a.lastError == JobFailure(.portal("InvalidImageUpload"), "bad"))
        #expect(try await QueueQueries(database: q.database).status(mod: "b", now: 1001).mods.map(\.mod) == ["b"])
    }

    @Test func theCountsTableFollowsEveryInsertTransitionAndDelete() async throws {
        let a = try await enqueuer.enqueueUploads(mod: "a", paths: try q.pngs(1...3)).queued
        _ = try await enqueuer.enqueueReorder(mod: "b", images: [String(repeating: "c", count: 40)])
        let first = try #require(try await claim(at: 1000))
        let added = try await q.store.recordAdded(first, uploadURL: URL(string: "http://x/u")!, now: 1000)
        try await q.store.recordUploaded(added, image: Self.image(added), reason: "ok", now: 1001)
        // Mods take turns: b, which has not run yet, before a's next job.
        let second = try #require(try await claim(at: 1002))
        #expect(second.job.mod == "b")
        try await q.store.fail(second, failure: JobFailure(.portal("X"), "y"), now: 1002)
        let third = try #require(try await claim(at: 1003))
        try await q.store.release(third, reason: "given back", now: 1003)
        _ = try await QueueMaintenance(database: q.database, now: { 1003 }).cancel(.jobs([a[2]]))
        _ = try await QueueMaintenance(database: q.database, now: { 5000 }).prune(olderThan: 10)
        let counted = try await q.database.read { db in
            try db.rows("SELECT mod, state, COUNT(*) AS n FROM jobs GROUP BY mod, state ORDER BY mod, state").map {
                "\($0.string("mod")!)/\($0.string("state")!)=\($0.int("n")!)"
            }
        }
        let kept = try await q.database.read { db in
            try db.rows("SELECT mod, state, n FROM job_counts WHERE n > 0 ORDER BY mod, state").map {
                "\($0.string("mod")!)/\($0.string("state")!)=\($0.int("n")!)"
            }
        }
        #expect(kept == counted)
        #expect(counted == ["a/queued=1"])
    }
}
