import Foundation
import ModPortal
import ModPortalSim
import TestSupport
import Testing

@testable import ModImgQueue

/// The worker against the simulator's tricks: each test turns one on and checks that the run
/// ends, nothing is stored twice and nothing the portal said reaches the queue raw.
@Suite struct HostilePortalTests {
    @Test(arguments: ["inf", "1e300", "1e19", "-5", "NaN", "soon", "5.5"])
    func aRetryAfterThatIsNotDelaySecondsIsIgnoredAndTheRunEnds(value: String) async throws {
        try await withSimulator({
            $0.tricks.retryAfter = value
            $0.faults = FaultPlan([.burst429: 0.3], burstLength: 1)
            $0.seed = 7
        }) { sim, url in
            let q = try QueueFixture()
            _ = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: try q.pngs(1...3))
            let report = try await WorkerHarness(queue: q, baseURL: url).run()
            #expect(report.done == 3)
            #expect(report.failed == 0)
            #expect((sim.state().tricks["retry-after"] ?? 0) > 0, "no 429 carried the hostile header")
            // Ignored, not obeyed: no pause was written from it.
            #expect(try await q.count("SELECT count(*) AS n FROM rate_limits WHERE paused_until > 0") == 0)
        }
    }

    @Test func anHTMLNotFoundFromTheListingDuringRecoveryIsRetriedNotUnknownMod() async throws {
        try await withSimulator({
            $0.faults = FaultPlan([.lostUpload: 0.4, .html404: 0.6])
            $0.seed = 1
        }) { sim, url in
            let q = try QueueFixture()
            _ = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: try q.pngs(1...6))
            let harness = WorkerHarness(queue: q, baseURL: url)
            var configuration = harness.configuration()
            configuration.concurrency = 1
            let report = try await harness.run(configuration)
            #expect(report.done == 6)
            #expect(report.failed == 0)
            let state = sim.state()
            #expect((state.faults["html-404"] ?? 0) > 0 && (state.faults["lost-upload"] ?? 0) > 0, "\(state.faults) \(state.requests)")
            #expect(state.uploadsPerImage["m"]?.values.allSatisfy { $0 == 1 } == true, "\(state.uploadsPerImage)")
            #expect(state.galleries["m"]?.count == 6)
        }
    }

    @Test func aListingThatLagsWithinTheDocumentedLagNeverGetsAnImageStoredTwice() async throws {
        try await withSimulator({
            // Counted in reads, not seconds: the first look after each lost upload always sees
            // the gallery without it, however slowly the machine runs the test.
            $0.tricks.listingLagReads = 1
            $0.faults = FaultPlan([.lostUpload: 0.5])
            $0.seed = 5
        }) { sim, url in
            let q = try QueueFixture()
            _ = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: try q.pngs(1...4))
            let harness = WorkerHarness(queue: q, baseURL: url)
            var configuration = harness.configuration()
            configuration.concurrency = 1
            let report = try await harness.run(configuration)
            #expect(report.done == 4)
            let state = sim.state()
            #expect((state.faults["lost-upload"] ?? 0) > 0, "no upload was lost: the test proves nothing")
            #expect((state.tricks["listing-lag"] ?? 0) > 0, "no listing lagged: the test proves nothing")
            #expect(state.uploadsPerImage["m"]?.values.allSatisfy { $0 == 1 } == true, "\(state.uploadsPerImage)")
        }
    }

    @Test func anAlreadyExistsAnswerCountsAsUploadedWhenItNamesTheFilesSHA1() async throws {
        try await withSimulator({
            // The listing lags far beyond the worker's wait: only the answer can confirm the image.
            $0.tricks.listingLagSeconds = 600
            $0.tricks.alreadyExists = true
        }) { sim, url in
            let first = try QueueFixture()
            _ = try await Enqueuer(database: first.database).enqueueUploads(mod: "m", paths: try first.pngs(1...1))
            #expect(try await WorkerHarness(queue: first, baseURL: url).run().done == 1)
            // Another machine, another queue, the same screenshot.
            let second = try QueueFixture()
            let ids = try await Enqueuer(database: second.database).enqueueUploads(mod: "m", paths: try second.pngs(1...1)).queued
            let report = try await WorkerHarness(queue: second, baseURL: url).run()
            #expect(report.done == 1)
            #expect(report.failed == 0)
            let sha1 = ImageFixtures.sha1Hex(ImageFixtures.png(seed: 1))
            #expect(try await QueueQueries(database: second.database).history(mod: "m").map(\.id) == [sha1])
            #expect(try await second.events(ids[0]).last == "done")
            let state = sim.state()
            #expect(state.tricks["already-exists"] == 1)
            #expect(state.uploadsPerImage["m"]?[sha1] == 1)
        }
    }

    @Test func anAlreadyExistsAnswerCountsAsUploadedWhenTheListingShowsTheImage() async throws {
        try await withSimulator({ $0.tricks.alreadyExists = true }) { sim, url in
            let q = try QueueFixture()
            let seeded = sim.seedGallery(mod: "m", images: [ImageFixtures.png(seed: 1)])
            _ = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: try q.pngs(1...1))
            let report = try await WorkerHarness(queue: q, baseURL: url).run()
            #expect(report.done == 1)
            #expect(try await QueueQueries(database: q.database).history(mod: "m").map(\.id) == seeded)
            #expect(sim.state().tricks["already-exists"] == 1)
            #expect(sim.state().requests["full"] == 1)
        }
    }

    @Test func idsAnsweredInUpperCaseAreKeptInLowerCaseSoTheSameFileIsNotQueuedAgain() async throws {
        try await withSimulator({ $0.tricks.upperCaseIDs = true }) { sim, url in
            let q = try QueueFixture()
            let paths = try q.pngs(1...2)
            let enqueuer = Enqueuer(database: q.database)
            _ = try await enqueuer.enqueueUploads(mod: "m", paths: paths)
            let sha1s = (1...2).map { ImageFixtures.sha1Hex(ImageFixtures.png(seed: $0)) }
            _ = try await enqueuer.enqueueReorder(mod: "m", images: sha1s.reversed())
            let report = try await WorkerHarness(queue: q, baseURL: url).run()
            #expect(report.done == 3)
            #expect((sim.state().tricks["upper-case-ids"] ?? 0) > 0)
            #expect(Set(try await QueueQueries(database: q.database).history(mod: "m").map(\.id)) == Set(sha1s))
            _ = try await QueueMaintenance(database: q.database).prune(olderThan: 0)
            #expect(try await enqueuer.enqueueUploads(mod: "m", paths: paths).queued.isEmpty)
        }
    }

    @Test func aPortalMessageWithEscapesIsStoredAsOneSafeLine() async throws {
        try await withSimulator({
            $0.tricks.escapeMessages = true
            $0.forbiddenMods = ["m"]
        }) { sim, url in
            let q = try QueueFixture()
            let ids = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: try q.pngs(1...1)).queued
            _ = try await WorkerHarness(queue: q, baseURL: url).run()
            let job = try await QueueQueries(database: q.database).job(id: ids[0])
            #expect(job.state == .failed)
            let message = try #require(job.lastFailure?.message)
            #expect(message.contains("Insufficent permission"))
            #expect(!message.unicodeScalars.contains { $0.properties.generalCategory == .control }, "\(message.debugDescription)")
            #expect(sim.state().tricks["escape-messages"] == 1)
        }
    }

    @Test func aKeyErrorFromAnUploadURLIsASpentURLNotARefusedKey() async throws {
        try await withSimulator { sim, url in
            let q = try QueueFixture()
            let ids = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: try q.pngs(1...1)).queued
            sim.injectResponse(
                for: .upload,
                CannedResponse(status: 401, body: #"{"error":"InvalidApiKey","message":"Missing or invalid API key for the current endpoint"}"#))
            let report = try await WorkerHarness(queue: q, baseURL: url).run()
            #expect(report.stopCause == nil)
            #expect(report.done == 1)
            #expect(try await QueueQueries(database: q.database).job(id: ids[0]).upload?.readdCount == 1)
            #expect(sim.state().requests["add"] == 2)
        }
    }
}
