import Foundation
import TestSupport
import Testing

@testable import ModImgQueue

/// `cancel --failed` and the filtered, dry-runnable `prune`.
@Suite struct FailureManagementTests {
    /// Per mod `a`, `b`: one failed upload and one done upload; `a` also has a cancelled one.
    func queue() async throws -> (QueueFixture, [String: [Int64]]) {
        let q = try QueueFixture()
        var ids: [String: [Int64]] = [:]
        for (mod, seeds) in [("a", 1...3), ("b", 4...5)] {
            ids[mod] = try await Enqueuer(database: q.database).enqueueUploads(mod: mod, paths: try q.pngs(seeds)).queued
        }
        _ = try await QueueMaintenance(database: q.database).cancel(.jobs([try #require(ids["a"]?[2])]))
        // Mods take turns: a's first job, b's, then a's second, b's.
        for mod in ["a", "b"] {
            let first = try #require(try await q.store.claim(by: .current, now: 10, leaseSeconds: 60))
            #expect(first.job.mod == mod)
            try await q.store.fail(first, failure: JobFailure(.portal("InvalidImageUpload"), "no"), now: 10)
        }
        for mod in ["a", "b"] {
            let second = try #require(try await q.store.claim(by: .current, now: 20, leaseSeconds: 60))
            #expect(second.job.mod == mod)
            try await q.store.recordReordered(second, gallery: [], removed: [], now: 20)
        }
        return (q, ids)
    }

    @Test func cancelFailedSetsAsideOneModsFailuresOnly() async throws {
        let (q, ids) = try await queue()
        let a = try #require(ids["a"]), b = try #require(ids["b"])
        let outcome = try await QueueMaintenance(database: q.database).cancelFailed(.all(mod: "a"))
        #expect(outcome.changed == [a[0]])
        #expect(try await q.state(of: a[0]) == .cancelled)
        #expect(try await q.state(of: b[0]) == .failed)
        let status = try await QueueQueries(database: q.database).status()
        let modA = try #require(status.mods.first { $0.mod == "a" })
        #expect(modA.counts.failed == 0)
        #expect(modA.counts.cancelled == 2)
        #expect(modA.lastError == nil)
        #expect(status.mods.first { $0.mod == "b" }?.counts.failed == 1)
        let last = try #require(try await QueueQueries(database: q.database).events(jobID: a[0]).last)
        #expect(last.fromState == "failed" && last.toState == "cancelled")
        #expect(last.reason == "failure set aside: cancelled by request")
        // The error stays readable on the job.
        #expect(try await JobListing(database: q.database).job(id: a[0]).error == "InvalidImageUpload: no")
        let everything = try await QueueMaintenance(database: q.database).cancelFailed(.all(mod: nil))
        #expect(everything.changed == [b[0]])
    }

    @Test func aDryRunCountsPerModAndStateAndRemovesNothing() async throws {
        let (q, _) = try await queue()
        let groups = try await QueueMaintenance(database: q.database).prune(PruneSelection(), dryRun: true)
        #expect(
            groups == [
                PrunedJobs(mod: "a", state: .cancelled, count: 1), PrunedJobs(mod: "a", state: .done, count: 1),
                PrunedJobs(mod: "a", state: .failed, count: 1), PrunedJobs(mod: "b", state: .done, count: 1),
                PrunedJobs(mod: "b", state: .failed, count: 1),
            ])
        #expect(try await q.count("SELECT COUNT(*) AS n FROM jobs") == 5)
    }

    @Test func pruneRemovesOnlyTheModAndStateAsked() async throws {
        let (q, ids) = try await queue()
        let maintenance = QueueMaintenance(database: q.database)
        #expect(try await maintenance.prune(PruneSelection(mod: "a", state: .cancelled)) == [PrunedJobs(mod: "a", state: .cancelled, count: 1)])
        #expect(try await q.state(of: try #require(ids["a"]?[2])) == nil)
        #expect(try await q.count("SELECT COUNT(*) AS n FROM jobs") == 4)
        #expect(try await maintenance.prune(PruneSelection(state: .failed)).map(\.mod) == ["a", "b"])
        #expect(try await q.count("SELECT COUNT(*) AS n FROM jobs WHERE state = 'done'") == 2)
        #expect(try await q.count("SELECT COUNT(*) AS n FROM jobs") == 2)
        #expect(try await q.count("SELECT COUNT(*) AS n FROM job_counts WHERE state = 'failed' AND n <> 0") == 0)
    }

    @Test func pruneByAgeKeepsWhatFinishedRecently() async throws {
        let (q, _) = try await queue()
        // Failed at 10, done at 20; "now" is 30: only the failures are older than 15 s.
        let maintenance = QueueMaintenance(database: q.database, now: { 30 })
        #expect(try await maintenance.prune(PruneSelection(olderThan: 15, mod: "b")) == [PrunedJobs(mod: "b", state: .failed, count: 1)])
        #expect(try await q.count("SELECT COUNT(*) AS n FROM jobs WHERE mod = 'b'") == 1)
    }
}
