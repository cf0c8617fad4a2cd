import Foundation
import ModPortal
import ModPortalSim
import TestSupport
import Testing

@testable import ModImgQueue

/// A portal or proxy that quotes the request's `Authorization` header back: the key reaches
/// nothing the queue keeps — not the job's failure, its events, `status`, nor the database's bytes.
@Suite struct EchoedKeyTests {
    static let key = "Zk3y-0123456789abcdef-SECRET"

    /// Every byte the database holds on disk: the file, its write-ahead log and shared memory.
    func databaseBytes(_ q: QueueFixture) -> Data {
        ["", "-wal", "-shm"].compactMap { FileManager.default.contents(atPath: q.path + $0) }.reduce(Data(), +)
    }

    func expectNoKey(in q: QueueFixture, job: Int64) async throws {
        let stored = try await q.job(job)
        let failure = try #require(stored.lastFailure)
        #expect(!failure.message.contains(Self.key), "\(failure)")
        #expect(failure.message.contains("[redacted]"), "\(failure)")
        let events = try await QueueQueries(database: q.database).events(jobID: job)
        #expect(!events.isEmpty)
        #expect(events.allSatisfy { !$0.reason.contains(Self.key) }, "\(events.map(\.reason))")
        let status = try await QueueQueries(database: q.database).status(now: Date().timeIntervalSince1970)
        #expect(status.mods.allSatisfy { !($0.lastError?.description ?? "").contains(Self.key) })
        let refusal = status.keyRefused?.detail ?? ""
        #expect(!refusal.contains(Self.key))
        let bytes = databaseBytes(q)
        #expect(!bytes.isEmpty)
        #expect(bytes.range(of: Data(Self.key.utf8)) == nil, "the key is in the database file")
    }

    @Test func anAddAnsweredWithTheKeyEchoedFailsWithoutTheKeyAnywhereInTheQueue() async throws {
        try await withSimulator({
            $0.apiKey = Self.key
            $0.tricks.echoAuthorization = true
        }) { sim, url in
            let q = try QueueFixture()
            let ids = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: try q.pngs(1...1)).queued
            let harness = WorkerHarness(queue: q, baseURL: url, apiKey: Self.key)
            var configuration = harness.configuration()
            configuration.retryPolicy = RetryPolicy(baseDelay: 0.01, maxDelay: 0.02, maxAttempts: 2)
            let report = try await harness.run(configuration)
            #expect(report.failed == 1)
            #expect((sim.state().tricks["echo-key"] ?? 0) > 0)
            try await expectNoKey(in: q, job: ids[0])
        }
    }

    @Test func aKeyRefusalQuotingTheKeyLeavesNoKeyInTheQueue() async throws {
        try await withSimulator({ $0.apiKey = Self.key }) { sim, url in
            let q = try QueueFixture()
            let ids = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: try q.pngs(1...1)).queued
            sim.injectResponse(
                for: .add,
                CannedResponse(
                    status: 401,
                    body: #"{"error":"InvalidApiKey","message":"the key \#(Self.key) (Authorization: Bearer \#(Self.key)) is not valid"}"#))
            let report = try await WorkerHarness(queue: q, baseURL: url, apiKey: Self.key).run()
            guard case .apiKeyRejected(let detail) = report.stopCause else {
                Issue.record("the worker did not stop for the refused key: \(report)")
                return
            }
            #expect(!detail.contains(Self.key), "\(detail)")
            let status = try await QueueQueries(database: q.database).status(now: Date().timeIntervalSince1970)
            let refusal = try #require(status.keyRefused)
            #expect(!refusal.detail.contains(Self.key), "\(refusal)")
            let events = try await QueueQueries(database: q.database).events(jobID: ids[0])
            #expect(events.allSatisfy { !$0.reason.contains(Self.key) }, "\(events.map(\.reason))")
            #expect(databaseBytes(q).range(of: Data(Self.key.utf8)) == nil, "the key is in the database file")
        }
    }
}
