import Foundation
import ModPortal
import TestSupport
import Testing

@testable import ModImgQueue

/// The worker driven through its protocols with a manual clock and a scripted portal: stalls,
/// races and a busy database, with no real lease or backoff waited out.
@Suite struct ClaimWorkerTests {
    @Test func aJobWhoseLeaseRanOutWhileItsSlotStalledIsNotRunTwiceByTheSameProcess() async throws {
        let s = try Scenario()
        let (job, _, run) = try await s.startWithTheAddHeld(s.configuration(concurrency: 2, lease: 3))
        // The process stalls (SIGSTOP, a sleeping laptop) for far longer than the lease.
        s.autoAdvance = false
        s.clock.advance(by: 10)
        s.autoAdvance = true
        // The other slot of the same process takes the job over with a claim of its own.
        try await s.waitUntil("the job is done by the other slot") { try await s.q.state(of: job) == .done }
        // The stalled request's answer arrives now: it must change nothing and send nothing more.
        s.portal.releaseAdd()
        let report = await run.value
        #expect(report.done == 1)
        #expect(report.stopCause == nil)
        #expect(s.portal.adds == 2)
        #expect(s.portal.uploads == 1)
        #expect(try await s.transitions(job) == ["->queued", "queued->added", "added->done"])
        #expect(s.events.contains(.claimLost(job: job, mod: "m")))
    }

    @Test func aJobCancelledWhileAStalledWorkerHoldsAnExpiredClaimIsNeverSent() async throws {
        let s = try Scenario()
        let (job, _, run) = try await s.startWithTheAddHeld(s.configuration(lease: 3))
        let maintenance = QueueMaintenance(database: s.q.database, now: { s.clock.now() })
        // While the claim is live, cancel is refused and says who holds the job until when.
        let refused = try await maintenance.cancel(.jobs([job]))
        #expect(refused.changed.isEmpty)
        #expect(refused.held[job]?.contains("holds it until") == true)
        s.autoAdvance = false
        s.clock.advance(by: 10)
        let cancelled = try await maintenance.cancel(.jobs([job]))
        #expect(cancelled.changed == [job])
        s.autoAdvance = true
        s.portal.releaseAdd()
        let report = await run.value
        #expect(report.done == 0)
        #expect(s.portal.uploads == 0)
        #expect(try await s.q.state(of: job) == .cancelled)
        #expect(try await s.transitions(job) == ["->queued", "queued->cancelled"])
    }

    @Test func aRefusedHeartbeatEndsTheJobAndNothingMoreIsSentOrWritten() async throws {
        let s = try Scenario()
        let (job, worker, run) = try await s.startWithTheAddHeld(s.configuration(lease: 3))
        // Someone else now holds the job (as if the lease had been lost and the job claimed again).
        try await s.q.execute(
            "UPDATE jobs SET claim_token = 'someone-else', lease_expires_at = ? WHERE id = ?", [s.clock.now() + 1000, job])
        await s.waitUntil("the heartbeat notices") { s.events.contains(.claimLost(job: job, mod: "m")) }
        s.portal.releaseAdd()
        await s.waitUntil("the slot is idle again") { s.store.inFlight == 0 && s.portal.calls.count == 1 }
        worker.stop()
        _ = await run.value
        #expect(s.portal.uploads == 0)
        #expect(try await s.q.state(of: job) == .queued)
        #expect(try await s.q.count("SELECT COUNT(*) AS n FROM jobs WHERE claim_token = 'someone-else'") == 1)
        #expect(try await s.transitions(job) == ["->queued"])
    }

    @Test func aBusyDatabaseIsWaitedOutAndNeverEndsTheRun() async throws {
        let s = try Scenario(busyCount: 3)
        let jobs = try await Enqueuer(database: s.q.database).enqueueUploads(mod: "m", paths: try s.q.pngs(1...2)).queued
        let report = await s.start(s.worker(s.configuration())).value
        #expect(s.store.busyFailures > 10)
        #expect(report.stopCause == nil)
        #expect(report.done == 2)
        #expect(report.failed == 0)
        #expect(s.portal.uploads == 2)
        for job in jobs { #expect(try await s.transitions(job) == ["->queued", "queued->added", "added->done"]) }
    }

    @Test func aBudgetLeftByASlowerEarlierRateCostsNoWait() async throws {
        let s = try Scenario(rate: Rate(count: 100, period: 1))
        // `work --rate 1/h` sent a request and was stopped: the stored budget is an hour ahead.
        try await s.q.execute(
            "INSERT INTO rate_limits (name, theoretical_arrival_time, paused_until) VALUES ('portal', ?, 0)",
            [s.clock.now() + 3600])
        for mod in ["a", "b", "c"] {
            _ = try await Enqueuer(database: s.q.database).enqueueUploads(mod: mod, paths: try s.q.pngs(1...1))
        }
        let report = await s.start(s.worker(s.configuration())).value
        #expect(report.done == 3)
        // Six requests at 100/s: nothing like the hour the stored budget asked. (Not "under a
        // second": the clock may be moved to a heartbeat's deadline, 10 s, while a slot hashes its
        // file off the store, where the scenario cannot see it working.)
        #expect(s.clock.now() - s.startedAt < 600)
    }

    @Test(arguments: [Double.infinity, 1e300, 1e19, 99_999_999, Double.nan])
    func aHostileRetryAfterPausesForAtMostAnHour(retryAfter: Double) async throws {
        let s = try Scenario()
        let job = try await Enqueuer(database: s.q.database).enqueueUploads(mod: "m", paths: try s.q.pngs(1...1)).queued[0]
        s.portal.failNextAdds(with: [.rateLimited(httpStatus: 429, retryAfter: retryAfter)])
        let report = await s.start(s.worker(s.configuration(poll: 120))).value
        #expect(report.done == 1)
        #expect(report.retriesScheduled == 1)
        let pausedUntil = try await s.q.database.read {
            try $0.row("SELECT paused_until FROM rate_limits WHERE name = 'portal'")?.double("paused_until")
        }
        #expect(try #require(pausedUntil) <= s.startedAt + PortalPause.maximumSeconds)
        let retry = s.events.compactMap { event -> Double? in
            if case .retryScheduled(_, _, _, let at) = event { return at }
            return nil
        }
        #expect(retry.count == 1)
        #expect(try #require(retry.first) <= s.startedAt + PortalPause.maximumSeconds)
        #expect(s.clock.now() - s.startedAt <= PortalPause.maximumSeconds + 120)
        #expect(try await s.q.state(of: job) == .done)
    }

    @Test func aFileSwappedForAPrivateOneDuringTheAddIsNotWhatGetsSent() async throws {
        let s = try Scenario()
        let (job, _, run) = try await s.startWithTheAddHeld(s.configuration())
        let queued = try await s.q.job(job)
        let path = try #require(queued.upload?.path)
        let size = try #require(queued.upload?.size)
        let secret = s.q.dir.file("secret.key")
        try Data(repeating: 0x4B, count: Int(size)).write(to: URL(fileURLWithPath: secret))
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: secret)
        s.portal.releaseAdd()
        let report = await run.value
        // What was sent is what was hashed when the job started: the queued image, not the key.
        #expect(report.done == 1)
        #expect(s.portal.uploadedIDs == [try #require(queued.upload?.sha1)])
    }

    @Test func aRetriedJobWhoseEarlierUploadLandedIsFoundInTheGalleryNotSentAgain() async throws {
        let s = try Scenario()
        let job = try await Enqueuer(database: s.q.database).enqueueUploads(mod: "m", paths: try s.q.pngs(1...1)).queued[0]
        s.portal.loseNextUploadAnswer()
        var once = s.configuration()
        once.retryPolicy = RetryPolicy(baseDelay: 1, maxDelay: 8, maxAttempts: 1)
        let first = await s.start(s.worker(once)).value
        #expect(first.failed == 1)
        // The user retries the failed job; the image is in the gallery already.
        _ = try await QueueMaintenance(database: s.q.database, now: { s.clock.now() }).retry(.jobs([job]))
        let second = await Scenario.run(s, s.configuration())
        #expect(second.done == 1)
        #expect(s.portal.uploads == 1)
        #expect(s.portal.adds == 1)
        #expect(try await s.q.state(of: job) == .done)
        #expect(try await QueueQueries(database: s.q.database).history(mod: "m").map(\.job) == [job])
    }

    @Test func aListingThatLagsBehindTheUploadIsReadAgainBeforeAnythingIsSentTwice() async throws {
        let s = try Scenario()
        let job = try await Enqueuer(database: s.q.database).enqueueUploads(mod: "m", paths: try s.q.pngs(1...1)).queued[0]
        s.portal.loseNextUploadAnswer()
        s.portal.lagNextListings(1)
        let report = await s.start(s.worker(s.configuration())).value
        #expect(report.done == 1)
        #expect(s.portal.uploads == 1)
        #expect(s.portal.listingReads == 2)
        #expect(try await s.q.state(of: job) == .done)
    }

    @Test func aGalleryListingAnImageTwiceIsSetWithEachImageOnce() async throws {
        let s = try Scenario()
        let a = String(repeating: "a", count: 40)
        let b = String(repeating: "b", count: 40)
        // The listing shows b twice (an image the portal stored twice); the reorder keeps unlisted images.
        s.portal.setGallery(mod: "m", ids: [b, a, b])
        let job = try await Enqueuer(database: s.q.database).enqueueReorder(mod: "m", images: [a])
        try await s.q.execute("UPDATE jobs SET keep_unlisted = 1 WHERE id = ?", [job])
        let report = await s.start(s.worker(s.configuration())).value
        #expect(report.done == 1)
        #expect(s.portal.calls.last == .edit("m", [a, b]))
    }
}
