import Foundation
import ModPortal
import Synchronization
import TestSupport
import Testing

@testable import ModImgQueue

/// A job claimed to make its `add` ahead keeps its claim for its own upload when the mod's
/// upload before it, sent by this worker, ends done; otherwise it is given back as before.
@Suite struct WorkerTurnTests {
    /// A scripted portal whose first upload is answered only once the second `add` has been
    /// answered (the job after it made its `add` ahead meanwhile), failing with `firstUploadError`
    /// if set.
    final class GatedPortal: PortalClient {
        let scripted = ScriptedPortal()
        let firstUploadError: PortalError?
        private let gate = Mutex<(adds: Int, uploads: Int, waiting: CheckedContinuation<Void, Never>?)>((0, 0, nil))

        init(firstUploadError: PortalError? = nil) {
            self.firstUploadError = firstUploadError
        }

        func add(mod: String) async throws(PortalError) -> URL {
            let url = try await scripted.add(mod: mod)
            let opened = gate.withLock { gate -> CheckedContinuation<Void, Never>? in
                gate.adds += 1
                guard gate.adds == 2 else { return nil }
                defer { gate.waiting = nil }
                return gate.waiting
            }
            opened?.resume()
            return url
        }

        func upload(_ upload: ImageUpload, to uploadURL: URL) async throws(PortalError) -> PortalImage {
            let first = gate.withLock { gate -> Bool in
                gate.uploads += 1
                return gate.uploads == 1
            }
            if first {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let go = gate.withLock { gate -> Bool in
                        if gate.adds >= 2 { return true }
                        gate.waiting = continuation
                        return false
                    }
                    if go { continuation.resume() }
                }
                if let firstUploadError { throw firstUploadError }
            }
            return try await scripted.upload(upload, to: uploadURL)
        }

        func edit(mod: String, imageIDs: [String]) async throws(PortalError) -> [PortalImage] {
            try await scripted.edit(mod: mod, imageIDs: imageIDs)
        }

        func gallery(mod: String) async throws(PortalError) -> [PortalImage] {
            try await scripted.gallery(mod: mod)
        }
    }

    private func run(_ portal: GatedPortal) async throws -> (QueueFixture, [Int64], [WorkerEvent]) {
        let q = try QueueFixture()
        let jobs = try await Enqueuer(database: q.database).enqueueUploads(mod: "mod-a", paths: try q.pngs(1...2)).queued
        var configuration = WorkerConfiguration()
        configuration.concurrency = 2
        configuration.pollInterval = 0.005
        configuration.executor = q.database.executor
        configuration.retryPolicy = RetryPolicy(baseDelay: 0.01, maxDelay: 0.02, maxAttempts: 5)
        configuration.listingLagSeconds = 0.01
        let worker = Worker(
            store: q.store, portal: portal,
            budget: SQLiteRequestBudget(database: q.database, limit: CellRateLimit(rate: Rate(count: 1000, period: 1))),
            clock: SystemClock(), configuration: configuration)
        let events = Task { await Array(worker.events) }
        let report = await worker.run()
        #expect(report.done == 2)
        return (q, jobs, await events.value)
    }

    @Test func theJobAddedAheadUploadsUnderItsClaimOnceTheUploadBeforeItIsDone() async throws {
        let portal = GatedPortal()
        let (q, jobs, events) = try await run(portal)
        let second = jobs[1]
        #expect(events.contains(.turnKept(job: second, mod: "mod-a")))
        #expect(!events.contains(.released(job: second, mod: "mod-a")))
        // Claimed once, for its add and its upload; its file read once.
        #expect(events.filter { if case .claimed(second, _, _, _) = $0 { true } else { false } }.count == 1)
        #expect(portal.scripted.adds == 2 && portal.scripted.uploads == 2)
        // In queue order, and one add each.
        let expected = (1...2).map { ImageFixtures.sha1Hex(ImageFixtures.png(seed: $0)) }
        #expect(portal.scripted.uploadedIDs == expected)
        #expect(try await q.events(second) == ["queued", "added", "done"])
    }

    @Test func theJobAddedAheadIsGivenBackWhenTheUploadBeforeItIsNotDone() async throws {
        let portal = GatedPortal(firstUploadError: .transport("connection reset"))
        let (_, jobs, events) = try await run(portal)
        let second = jobs[1]
        #expect(!events.contains(.turnKept(job: second, mod: "mod-a")))
        #expect(events.contains(.released(job: second, mod: "mod-a")))
        // The first upload, retried, still lands before the second.
        let expected = (1...2).map { ImageFixtures.sha1Hex(ImageFixtures.png(seed: $0)) }
        #expect(portal.scripted.uploadedIDs == expected)
        #expect(portal.scripted.adds == 2)
    }
}

/// The read these tests need from the store, until `SQLiteJobStore` offers it itself (see
/// `ModHeadReading`): whether the claimed job is its mod's oldest open job, under its claim.
extension SQLiteJobStore: ModHeadReading {
    public func isModHead(_ claim: Claim, now: Double) async throws -> Bool {
        let (id, mod, token) = (claim.job.id, claim.job.mod, claim.token)
        return try await database.read { db in
            try db.row(
                """
                SELECT (SELECT MIN(k.id) FROM jobs AS k WHERE k.mod = ? AND k.state IN ('queued', 'added')) = ?
                  AND EXISTS (SELECT 1 FROM jobs WHERE id = ? AND claim_token = ? AND lease_expires_at > ?) AS head
                """, [mod, id, id, token, now])?.int("head") == 1
        }
    }
}
