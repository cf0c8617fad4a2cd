import Foundation
import ModPortal
import TestSupport
import Testing

@testable import ModImgQueue

/// Gallery truth at the store: one job of a mod at a time on every path, a cancel that cancels
/// an upload whose `add` was made ahead, dependencies that outlive `prune`, ids never given twice.
extension ClaimStoreTests {
    @Test func aJobRetriedBeforeOneInFlightWaitsUntilThatOneIsDone() async throws {
        let ids = try await enqueuer.enqueueUploads(mod: "m", paths: try q.pngs(1...2)).queued
        let first = try #require(try await claim(at: 1000))
        try await q.store.fail(first, failure: JobFailure(.portal("InvalidRequest"), "refused"), now: 1001)
        let second = try #require(try await claim(at: 1002))
        #expect(second.job.id == ids[1])
        // Retried, the first job is the mod's oldest open job again, but the second is in flight.
        let retried = try await QueueMaintenance(database: q.database, now: { 1003 }).retry(.jobs([ids[0]]))
        #expect(retried.changed == [ids[0]])
        #expect(try await claim(at: 1004) == nil)
        try await q.store.release(second, reason: "given back", now: 1005)
        #expect(try await claim(at: 1006)?.job.id == ids[0])
    }

    /// Job 1 in flight past its `add`, job 2 added ahead and given back (upload not sent).
    func oneInFlightOneAddedAhead() async throws -> (ids: [Int64], inFlight: Claim) {
        let ids = try await enqueuer.enqueueUploads(mod: "m", paths: try q.pngs(1...3)).queued
        let first = try await q.store.recordAdded(
            try #require(try await claim(at: 1000)), uploadURL: URL(string: "http://x/1")!, now: 1000)
        let ahead = try #require(try await claim(at: 1001))
        #expect(ahead.job.id == ids[1] && ahead.addAhead)
        let added = try await q.store.recordAdded(ahead, uploadURL: URL(string: "http://x/2")!, now: 1001)
        try await q.store.release(added, reason: "added ahead", now: 1001)
        return (ids, first)
    }

    @Test func aJobAddedAheadWhoseUploadWasNotSentIsCancelledAndNeverClaimed() async throws {
        let (ids, first) = try await oneInFlightOneAddedAhead()
        let outcome = try await QueueMaintenance(database: q.database, now: { 1002 }).cancel(.all(mod: "m"))
        #expect(outcome.changed == [ids[1], ids[2]])
        #expect(outcome.held.keys.sorted() == [ids[0]])
        #expect(try await q.state(of: ids[1]) == .cancelled)
        try await q.store.recordUploaded(
            first, image: PortalImage(id: String(repeating: "a", count: 40), url: "", thumbnail: ""), reason: "ok", now: 1003)
        #expect(try await claim(at: 1004) == nil)
    }

    @Test func aJobAddedAheadIsCancelledByIdWithTheTruthSaid() async throws {
        let (ids, _) = try await oneInFlightOneAddedAhead()
        let outcome = try await QueueMaintenance(database: q.database, now: { 1002 }).cancel(.jobs([ids[1]]))
        #expect(outcome.changed == [ids[1]])
        #expect(outcome.skipped.isEmpty)
    }

    @Test func anAddedJobWhoseUploadWasSentIsLeftToTheWorker() async throws {
        let (ids, _) = try await oneInFlightOneAddedAhead()
        try await q.execute("UPDATE jobs SET upload_sent = 1 WHERE id = ?", [ids[1]])
        let outcome = try await QueueMaintenance(database: q.database, now: { 1002 }).cancel(.jobs([ids[1]]))
        #expect(outcome.changed.isEmpty)
        #expect(outcome.skipped[ids[1]]?.contains("its upload was sent") == true)
        #expect(try await q.state(of: ids[1]) == .added)
    }

    @Test func pruningACancelledUploadKeepsTheReorderWaitingOnItAndItsLog() async throws {
        let planner = EnqueuePlanner(database: q.database)
        let (_, outcome) = try await planner.enqueue(
            [GallerySpec(mod: "m", imagePaths: try q.pngs(1...3), prune: true)], galleries: ["m": []])
        let reorder = try #require(outcome.reorderJobs.first)
        let maintenance = QueueMaintenance(database: q.database)
        #expect(try await maintenance.cancel(.jobs([outcome.uploadJobs[1]])).changed == [outcome.uploadJobs[1]])
        let waitsFor = try await q.store.dependencies(ofJob: reorder).map(\.job)
        #expect(try await maintenance.prune(PruneSelection(state: .cancelled)).isEmpty)
        #expect(try await q.state(of: outcome.uploadJobs[1]) == .cancelled)
        #expect(try await q.store.dependencies(ofJob: reorder).map(\.job) == waitsFor)
        // Once the reorder is gone too, nothing holds the upload back.
        try await q.execute("UPDATE jobs SET state = 'cancelled', finished_at = 1 WHERE id = ?", [reorder])
        #expect(try await maintenance.prune(PruneSelection(state: .cancelled)).map(\.count) == [2])
    }

    @Test func jobIDsAreNeverGivenTwiceEvenAfterPruneRemovedTheNewest() async throws {
        let first = try await enqueuer.enqueueUploads(mod: "m", paths: try q.pngs(1...2)).queued
        let maintenance = QueueMaintenance(database: q.database, now: { 1001 })
        #expect(try await maintenance.cancel(.all(mod: "m")).changed == first)
        #expect(try await maintenance.prune(PruneSelection(state: .cancelled)).map(\.count) == [2])
        let next = try await enqueuer.enqueueUploads(mod: "m", paths: try q.pngs(3...4)).queued
        #expect(next == [first[1] + 1, first[1] + 2])
        // A database opened again numbers above them too.
        _ = try await maintenance.prune(PruneSelection(state: .cancelled))
        #expect(try await maintenance.cancel(.all(mod: "m")).changed == next)
        #expect(try await maintenance.prune(PruneSelection(state: .cancelled)).map(\.count) == [2])
        let reopened = try QueueDatabase.open(path: q.path)
        #expect(try await Enqueuer(database: reopened, now: { 1002 }).enqueueUploads(mod: "m", paths: try q.pngs(5...5)).queued == [next[1] + 1])
    }
}

