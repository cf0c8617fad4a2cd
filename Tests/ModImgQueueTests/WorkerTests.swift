import Foundation
import ModPortal
import ModPortalSim
import TestSupport
import Testing

@testable import ModImgQueue

@Suite struct WorkerTests {
    @Test func uploadsThenReordersAndRecordsHistory() async throws {
        try await withSimulator { sim, url in
            let q = try QueueFixture()
            let enqueuer = Enqueuer(database: q.database)
            let uploads = try await enqueuer.enqueueUploads(mod: "gallery-mod", paths: try q.pngs(1...3)).queued
            let ids = (1...3).map { ImageFixtures.sha1Hex(ImageFixtures.png(seed: $0)) }
            let reorder = try await enqueuer.enqueueReorder(mod: "gallery-mod", images: ids.reversed())
            let report = try await WorkerHarness(queue: q, baseURL: url).run()
            #expect(report.done == 4)
            #expect(report.failed == 0)
            for id in uploads + [reorder] { #expect(try await q.state(of: id) == .done) }
            let state = sim.state()
            #expect(state.galleries["gallery-mod"] == ids.reversed())
            #expect(state.requests["add"] == 3)
            #expect(state.requests["upload"] == 3)
            #expect(state.requests["edit"] == 1)
            let history = try await QueueQueries(database: q.database).history(mod: "gallery-mod")
            #expect(history.map(\.id) == ids)
            #expect(history.map(\.job) == uploads)
            #expect(try await QueueQueries(database: q.database).events(jobID: uploads[0]).map(\.toState) == ["queued", "added", "done"])
        }
    }

    @Test func theKeyGoesToAddAndEditButNeverToTheUploadURL() async throws {
        try await withSimulator { sim, url in
            let q = try QueueFixture()
            let ids = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: try q.pngs(1...2)).queued
            _ = try await Enqueuer(database: q.database).enqueueReorder(
                mod: "m", images: (1...2).map { ImageFixtures.sha1Hex(ImageFixtures.png(seed: $0)) })
            _ = try await WorkerHarness(queue: q, baseURL: url).run()
            #expect(try await q.state(of: ids[1]) == .done)
            let requests = sim.recordedRequests()
            let uploads = requests.filter { $0.call == .upload }
            #expect(uploads.count == 2)
            #expect(uploads.allSatisfy { $0.authorization == nil })
            let authed = requests.filter { $0.call == .add || $0.call == .edit }
            #expect(authed.count == 3)
            #expect(authed.allSatisfy { $0.authorization == "Bearer \(SimDefaults.apiKey)" })
        }
    }

    @Test func anInvalidKeyStopsTheWorkerAndLeavesEveryJobAsItWas() async throws {
        try await withSimulator { sim, url in
            let q = try QueueFixture()
            let ids = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: try q.pngs(1...3)).queued
            var before: [Job] = []
            for id in ids { before.append(try await q.job(id)) }
            let report = try await WorkerHarness(queue: q, baseURL: url, apiKey: "wrong-key").run()
            guard case .apiKeyRejected = report.stopCause else {
                Issue.record("worker did not stop for the key: \(String(describing: report.stopCause))")
                return
            }
            var after: [Job] = []
            for id in ids { after.append(try await q.job(id)) }
            #expect(after == before)
            #expect(try await q.count("SELECT COUNT(*) AS n FROM jobs WHERE claim_token IS NOT NULL") == 0)
            #expect(sim.state().requests["add"] == 1)
        }
    }

    @Test func noKeyAtAllStopsBeforeAnyRequest() async throws {
        try await withSimulator { sim, url in
            let q = try QueueFixture()
            let ids = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: try q.pngs(1...1)).queued
            let report = try await WorkerHarness(queue: q, baseURL: url, apiKey: nil).run()
            #expect(report.stopCause != nil)
            #expect(try await q.state(of: ids[0]) == .queued)
            #expect(sim.state().requests.values.reduce(0, +) == 0)
        }
    }

    @Test func transientFailuresAreRetriedUntilTheyPass() async throws {
        try await withSimulator { sim, url in
            let q = try QueueFixture()
            let ids = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: try q.pngs(1...1)).queued
            sim.injectResponse(for: .add, CannedResponse(status: 500, body: #"{"error":"InternalError","message":"Internal error, please try await again later."}"#))
            sim.injectResponse(for: .add, CannedResponse(status: 200, body: #"{"error":"Unknown","message":"Unknown error, please try await again later."}"#))
            sim.injectResponse(for: .add, CannedResponse(status: 200, body: ""))
            sim.injectResponse(for: .add, CannedResponse(status: 200, body: #"{"uploadURL":"wrong shape"}"#))
            sim.injectResponse(for: .upload, CannedResponse(status: 502, headers: ["Content-Type": "text/html"], body: "<html><body>Bad Gateway</body></html>"))
            sim.injectResponse(for: .upload, CannedResponse(status: 429, headers: ["Retry-After": "0"], body: "slow down"))
            sim.injectResponse(for: .upload, CannedResponse(status: 200, body: #"{"id":"abc","url":"#))
            let report = try await WorkerHarness(queue: q, baseURL: url).run()
            #expect(report.done == 1)
            #expect(report.retriesScheduled == 7)
            let job = try await QueueQueries(database: q.database).job(id: ids[0])
            #expect(job.state == .done)
            #expect(job.attempts == 7)
            #expect(sim.state().galleries["m"] == [job.upload!.sha1])
            let reasons = try await QueueQueries(database: q.database).events(jobID: ids[0]).map(\.reason).joined(separator: "\n")
            for code in ["InternalError", "Unknown", "an empty body", "not the expected JSON", "HTTP502", "HTTP429", "MalformedResponse"] {
                #expect(reasons.contains(code), "no event mentions \(code)")
            }
        }
    }

    @Test(arguments: [
        (SimCall.add, "UnknownMod", 404), (.add, "Forbidden", 403), (.add, "InvalidRequest", 400),
        (.upload, "InvalidImageUpload", 400),
    ])
    func permanentFailuresFailTheJobWithCodeAndMessage(call: SimCall, code: String, status: Int) async throws {
        try await withSimulator { sim, url in
            let q = try QueueFixture()
            let ids = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: try q.pngs(1...1)).queued
            sim.injectResponse(for: call, CannedResponse(status: status, body: #"{"error":"\#(code)","message":"portal says no"}"#))
            let report = try await WorkerHarness(queue: q, baseURL: url).run()
            #expect(report.failed == 1)
            let job = try await QueueQueries(database: q.database).job(id: ids[0])
            #expect(job.state == .failed)
            #expect(job.lastFailure?.code.rawValue == code)
            #expect(job.lastFailure?.message.contains("portal says no") == true)
            #expect(job.attempts == 0)
        }
    }

    @Test func retriesGiveUpAfterTheirBound() async throws {
        try await withSimulator({ $0.failRate = 1 }) { sim, url in
            let q = try QueueFixture()
            let ids = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: try q.pngs(1...1)).queued
            let harness = WorkerHarness(queue: q, baseURL: url)
            var configuration = harness.configuration()
            configuration.retryPolicy.maxAttempts = 3
            let report = try await harness.run(configuration)
            #expect(report.failed == 1)
            let job = try await QueueQueries(database: q.database).job(id: ids[0])
            #expect(job.state == .failed)
            #expect(job.lastFailure?.message.contains("gave up after 3 attempts") == true)
            #expect(sim.state().requests["add"] == 3)
        }
    }

    @Test func aSpentUploadURLGoesBackToAddOnceTheGallerySaysTheImageIsNotThere() async throws {
        try await withSimulator { sim, url in
            let q = try QueueFixture()
            let ids = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: try q.pngs(1...1)).queued
            try await markAdded(q, job: ids[0], uploadURL: url.appendingPathComponent("api/v2/mods/images/upload/spent-token"))
            let report = try await WorkerHarness(queue: q, baseURL: url).run()
            #expect(report.done == 1)
            let state = sim.state()
            #expect(state.requests["upload"] == 2)
            // Once when the URL is refused; then, as an upload was sent before, twice more (the
            // second after the listing lag) before it adds again.
            #expect(state.requests["full"] == 3)
            #expect(state.requests["add"] == 1)
            #expect(try await QueueQueries(database: q.database).job(id: ids[0]).upload?.readdCount == 1)
        }
    }

    @Test func aLostUploadAnswerIsFoundInTheGalleryInsteadOfUploadingAgain() async throws {
        try await withSimulator { sim, url in
            let q = try QueueFixture()
            let ids = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: try q.pngs(1...1)).queued
            let seeded = sim.seedGallery(mod: "m", images: [ImageFixtures.png(seed: 1)])
            try await markAdded(q, job: ids[0], uploadURL: url.appendingPathComponent("api/v2/mods/images/upload/used-token"))
            let report = try await WorkerHarness(queue: q, baseURL: url).run()
            #expect(report.done == 1)
            #expect(sim.state().requests["add"] == nil || sim.state().requests["add"] == 0)
            #expect(sim.state().galleries["m"] == seeded)
            #expect(try await QueueQueries(database: q.database).history(mod: "m").map(\.id) == seeded)
        }
    }

    @Test func anIDThatIsNotTheFilesSHA1FailsTheJobLoudly() async throws {
        try await withSimulator { sim, url in
            let q = try QueueFixture()
            let ids = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: try q.pngs(1...1)).queued
            let wrong = String(repeating: "0", count: 40)
            sim.injectResponse(for: .upload, CannedResponse(status: 200, body: #"{"id":"\#(wrong)","url":"u","thumbnail":"t"}"#))
            _ = try await WorkerHarness(queue: q, baseURL: url).run()
            let job = try await QueueQueries(database: q.database).job(id: ids[0])
            #expect(job.state == .failed)
            #expect(job.lastFailure?.code.rawValue == "IdMismatch")
            #expect(try await QueueQueries(database: q.database).history(mod: "m").isEmpty)
        }
    }

    @Test func aFileChangedAfterEnqueueFailsWithoutSendingIt() async throws {
        try await withSimulator { sim, url in
            let q = try QueueFixture()
            let paths = try q.pngs(1...1)
            let ids = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: paths).queued
            try ImageFixtures.png(seed: 99).write(to: URL(fileURLWithPath: paths[0]))
            _ = try await WorkerHarness(queue: q, baseURL: url).run()
            let job = try await QueueQueries(database: q.database).job(id: ids[0])
            #expect(job.state == .failed)
            #expect(job.lastFailure?.code.rawValue == "FileChanged")
            #expect(sim.state().requests.values.reduce(0, +) == 0)
        }
    }

    @Test func anUploadURLOnAForeignHostIsRefused() async throws {
        try await withSimulator { sim, url in
            let q = try QueueFixture()
            let ids = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: try q.pngs(1...1)).queued
            sim.injectResponse(for: .add, CannedResponse(status: 200, body: #"{"upload_url":"http://evil.example:8080/steal"}"#))
            _ = try await WorkerHarness(queue: q, baseURL: url).run()
            let job = try await QueueQueries(database: q.database).job(id: ids[0])
            #expect(job.state == .failed)
            #expect(job.lastFailure?.code.rawValue == "ForeignUploadURL")
            #expect(sim.state().requests["upload"] == nil || sim.state().requests["upload"] == 0)
        }
    }

    @Test func aJobLeasedByADeadWorkerIsPickedUpWhenTheLeaseExpires() async throws {
        try await withSimulator { sim, url in
            let q = try QueueFixture()
            let ids = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: try q.pngs(1...1)).queued
            _ = try #require(
                try await q.store.claim(
                    by: ClaimHolder(host: "elsewhere", pid: 1, processStart: nil), now: Date().timeIntervalSince1970,
                    leaseSeconds: 0.5))
            let report = try await WorkerHarness(queue: q, baseURL: url).run()
            #expect(report.done == 1)
            #expect(try await q.state(of: ids[0]) == .done)
            #expect(sim.state().requests["add"] == 1)
        }
    }

    @Test func stopLeavesQueuedWorkUntouched() async throws {
        try await withSimulator { sim, url in
            let q = try QueueFixture()
            let ids = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: try q.pngs(1...2)).queued
            let harness = WorkerHarness(queue: q, baseURL: url)
            let worker = harness.worker()
            worker.stop()
            let report = await worker.run()
            await harness.portal.shutdown()
            #expect(report.stopCause == .requested)
            for id in ids { #expect(try await q.state(of: id) == .queued) }
            #expect(sim.state().requests.values.reduce(0, +) == 0)
        }
    }

    private func markAdded(_ q: QueueFixture, job: Int64, uploadURL: URL) async throws {
        let now = Date().timeIntervalSince1970
        let claimed = try #require(try await q.store.claim(by: .current, now: now, leaseSeconds: 60))
        #expect(claimed.job.id == job)
        let added = try await q.store.recordAdded(claimed, uploadURL: uploadURL, now: now)
        try await q.store.release(added, reason: "test setup", now: now)
    }
}
