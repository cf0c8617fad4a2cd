import Foundation
import TestSupport
import Testing

@testable import ModImgQueue

@Suite struct JobListingTests {
    /// Jobs 1–2 uploads of `a`, 3 an upload of `b`, 4 a reorder of `a`; job 1 failed with a
    /// message full of escapes and line breaks, job 2 backing off until 5000.
    func queue() async throws -> QueueFixture {
        let q = try QueueFixture()
        let enqueuer = Enqueuer(database: q.database)
        let a = try q.pngs(1...2)
        _ = try await enqueuer.enqueueUploads(mod: "a", paths: a)
        _ = try await enqueuer.enqueueUploads(mod: "b", paths: try q.pngs(3...3))
        _ = try await enqueuer.enqueueReorder(mod: "a", images: a.reversed())
        let first = try #require(try await q.store.claim(by: .current, now: 1, leaseSeconds: 60))
        try await q.store.fail(first, failure: JobFailure(.portal("InvalidImageUpload"), "bad \u{1B}[31mred\u{1B}[0m\nimage"), now: 2)
        // Mods take turns: b's job comes before a's next; given back, it leaves the turn to a.
        let turnOfB = try #require(try await q.store.claim(by: .current, now: 3, leaseSeconds: 60))
        #expect(turnOfB.job.id == 3)
        try await q.store.release(turnOfB, reason: "given back", now: 3)
        let other = try #require(try await q.store.claim(by: .current, now: 3, leaseSeconds: 60))
        #expect(other.job.id == 2)
        try await q.store.scheduleRetry(other, retryAt: 5000, failure: JobFailure(.portal("HTTP503"), "down"), now: 3)
        return q
    }

    @Test func listsNewestFirstWithEachFieldAsStored() async throws {
        let q = try await queue()
        let jobs = try await JobListing(database: q.database).jobs()
        #expect(jobs.map(\.id) == [4, 3, 2, 1])
        #expect(jobs.map(\.kind) == [.reorder, .upload, .upload, .upload])
        #expect(jobs.map(\.state) == [.queued, .queued, .queued, .failed])
        #expect(jobs[0].file == nil)
        #expect(jobs[0].imageIDs?.count == 2)
        #expect(jobs[0].error == nil && jobs[0].nextAttemptAt == nil)
        #expect(jobs[1].file?.hasSuffix(".png") == true)
        #expect(jobs[1].imageIDs == nil)
        #expect(jobs[1].error == nil)
        #expect(jobs[2].attempts == 1)
        #expect(jobs[2].error == "HTTP503: down")
        #expect(jobs[2].nextAttemptAt == 5000)
        #expect(jobs[3].error == "InvalidImageUpload: bad red image")
        #expect(jobs[3].nextAttemptAt == nil)
    }

    @Test func filtersByStateModKindAndLimit() async throws {
        let q = try await queue()
        let listing = JobListing(database: q.database)
        #expect(try await listing.jobs(JobFilter(state: .failed)).map(\.id) == [1])
        #expect(try await listing.jobs(JobFilter(state: .queued, mod: "a")).map(\.id) == [4, 2])
        #expect(try await listing.jobs(JobFilter(mod: "a", kind: .upload)).map(\.id) == [2, 1])
        #expect(try await listing.jobs(JobFilter(kind: .reorder)).map(\.id) == [4])
        #expect(try await listing.jobs(JobFilter(limit: 2)).map(\.id) == [4, 3])
        #expect(try await listing.jobs(JobFilter(limit: 2, oldestFirst: true)).map(\.id) == [1, 2])
        #expect(try await listing.jobs(JobFilter(state: .cancelled)).isEmpty)
        #expect(try await listing.jobs(JobFilter(mod: "nobody")).isEmpty)
    }

    @Test func oneJobByIDOrASentenceForAnUnknownOne() async throws {
        let q = try await queue()
        let listing = JobListing(database: q.database)
        #expect(try await listing.job(id: 1) == (try await listing.jobs(JobFilter(state: .failed)))[0])
        await #expect(throws: QueueError.unknownJob(99)) { try await listing.job(id: 99) }
    }

    @Test func stateFiltersUseAnIndexRatherThanReadingEveryJob() async throws {
        let q = try await queue()
        let listing = JobListing(database: q.database)
        for state in [JobState.failed, .cancelled] {
            let plan = try await listing.queryPlan(JobFilter(state: state, mod: "a")).joined(separator: "; ")
            #expect(plan.contains("jobs_unsuccessful"), "\(state): \(plan)")
            #expect(!plan.contains("TEMP B-TREE"), "\(state): \(plan)")
            let anyMod = try await listing.queryPlan(JobFilter(state: state)).joined(separator: "; ")
            #expect(anyMod.contains("jobs_unsuccessful"), "\(state): \(anyMod)")
        }
        for state in [JobState.queued, .added] {
            let plan = try await listing.queryPlan(JobFilter(state: state, mod: "a")).joined(separator: "; ")
            #expect(plan.contains("jobs_open_by_mod"), "\(state): \(plan)")
            #expect(!plan.contains("TEMP B-TREE"), "\(state): \(plan)")
        }
        // Newest first without a filter walks the table backwards and stops at the limit.
        let all = try await listing.queryPlan(JobFilter(limit: 10)).joined(separator: "; ")
        #expect(!all.contains("TEMP B-TREE"), "\(all)")
    }

    @Test func pagesFollowTheCursorAndReachEveryJobOnce() async throws {
        let q = try await queue()
        _ = try await Enqueuer(database: q.database).enqueueUploads(mod: "c", paths: try q.pngs(5...9))
        let listing = JobListing(database: q.database)
        let first = try await listing.page(JobFilter(limit: 4))
        #expect(first.items.map(\.id) == [9, 8, 7, 6] && first.next == 6)
        let second = try await listing.page(JobFilter(limit: 4, cursor: 6))
        #expect(second.items.map(\.id) == [5, 4, 3, 2] && second.next == 2)
        let last = try await listing.page(JobFilter(limit: 4, cursor: 2))
        #expect(last.items.map(\.id) == [1] && last.next == nil)
        #expect(try await listing.page(JobFilter(limit: 9)).next == nil, "a page that holds the rest has no next")
        let oldest = try await listing.page(JobFilter(limit: 5, oldestFirst: true))
        #expect(oldest.items.map(\.id) == [1, 2, 3, 4, 5] && oldest.next == 5)
        #expect(try await listing.page(JobFilter(limit: 5, oldestFirst: true, cursor: 5)).items.map(\.id) == [6, 7, 8, 9])
        let ofA = try await listing.page(JobFilter(mod: "a", limit: 1, cursor: 4))
        #expect(ofA.items.map(\.id) == [2] && ofA.next == 2)
        #expect(try await listing.page(JobFilter()).items.count == 9, "the default page holds them all")

        var pages: [[Int64]] = []
        try await listing.forEachPage(JobFilter(), pageSize: 2) { pages.append($0.map(\.id)) }
        #expect(pages == [[9, 8], [7, 6], [5, 4], [3, 2], [1]])
        pages = []
        try await listing.forEachPage(JobFilter(limit: 5, oldestFirst: true), pageSize: 2) { pages.append($0.map(\.id)) }
        #expect(pages == [[1, 2], [3, 4], [5]])
        pages = []
        try await listing.forEachPage(JobFilter(mod: "nobody")) { pages.append($0.map(\.id)) }
        #expect(pages.isEmpty)
    }

    @Test func aCursorKeepsTheIndexAndNeedsNoSort() async throws {
        let q = try await queue()
        let listing = JobListing(database: q.database)
        let failed = try await listing.queryPlan(JobFilter(state: .failed, mod: "a", cursor: 3)).joined(separator: "; ")
        #expect(failed.contains("jobs_unsuccessful") && !failed.contains("TEMP B-TREE"), "\(failed)")
        let open = try await listing.queryPlan(JobFilter(state: .queued, mod: "a", cursor: 3)).joined(separator: "; ")
        #expect(open.contains("jobs_open_by_mod") && !open.contains("TEMP B-TREE"), "\(open)")
        for oldestFirst in [false, true] {
            let all = try await listing.queryPlan(JobFilter(limit: 10, oldestFirst: oldestFirst, cursor: 3)).joined(separator: "; ")
            #expect(all.contains("INTEGER PRIMARY KEY") && !all.contains("TEMP B-TREE"), "\(all)")
        }
    }
}

