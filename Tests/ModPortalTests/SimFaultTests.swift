import Foundation
import ModPortal
import ModPortalSim
import TestSupport
import Testing

/// The simulator's fault modes, seen through the product's own client over real HTTP,
/// checked against what the simulator says it processed.
@Suite struct SimFaultTests {
    /// What a client call came to, in a form two runs can compare.
    enum Outcome: Equatable, CustomStringConvertible {
        case ok
        case transport
        case malformed(httpStatus: Int)
        case server(httpStatus: Int)
        case api(code: String, httpStatus: Int, retryAfter: Double?)
        case other(String)

        init(_ error: PortalError) {
            switch error {
            case .transport: self = .transport
            case .malformedResponse(let status, _): self = .malformed(httpStatus: status)
            case .server(let status, _, _): self = .server(httpStatus: status)
            case .api(let code, _, let status, let retryAfter): self = .api(code: code, httpStatus: status, retryAfter: retryAfter)
            default: self = .other(error.code)
            }
        }

        var description: String {
            switch self {
            case .ok: "ok"
            case .transport: "transport"
            case .malformed(let status): "malformed(\(status))"
            case .server(let status): "server(\(status))"
            case .api(let code, let status, _): "\(code)(\(status))"
            case .other(let code): code
            }
        }
    }

    struct Harness {
        let sim: PortalSimulator
        let client: HTTPPortalClient
        let dir: TemporaryDirectory

        func outcome<T>(_ call: () async throws -> T) async -> Outcome {
            do {
                _ = try await call()
                return .ok
            } catch let error as PortalError {
                return Outcome(error)
            } catch {
                return .other(String(describing: error))
            }
        }

        /// A PNG of `seed` written to disk, ready to upload, and its id.
        func image(seed: Int) throws -> (ImageUpload, String) {
            let data = ImageFixtures.png(seed: seed)
            let path = dir.file("image-\(seed).png")
            try data.write(to: URL(fileURLWithPath: path))
            let upload = try ImageUpload(path: path, size: Int64(data.count), contentType: "image/png")
            return (upload, ImageFixtures.sha1Hex(data))
        }

        var state: SimState { sim.state() }
    }

    /// Runs `body` against a simulator injecting `plan`, through an `HTTPPortalClient` with short timeouts.
    func withFaults<T>(
        _ plan: FaultPlan,
        seed: UInt64 = 0,
        requestTimeout: Double = 5,
        configure: @escaping (inout SimConfiguration) -> Void = { _ in },
        _ body: (Harness) async throws -> T
    ) async throws -> T {
        try await withSimulator({
            $0.faults = plan
            $0.seed = seed
            configure(&$0)
        }) { sim, url in
            var timeouts = HTTPPortalClient.Timeouts()
            timeouts.connect = 2
            timeouts.request = requestTimeout
            timeouts.uploadBase = requestTimeout
            let client = HTTPPortalClient(baseURL: url, apiKey: APIKey(SimDefaults.apiKey), timeouts: timeouts)
            do {
                let result = try await body(Harness(sim: sim, client: client, dir: try TemporaryDirectory()))
                await client.shutdown()
                return result
            } catch {
                await client.shutdown()
                throw error
            }
        }
    }

    /// Seeds mod "m" with two images and asks `edit` to swap them; answers the ids in their seeded order.
    func seededPair(_ harness: Harness) -> [String] {
        harness.sim.seedGallery(mod: "m", images: [ImageFixtures.png(seed: 1), ImageFixtures.png(seed: 2)])
    }

    // MARK: Modes that process nothing

    @Test func resetDropsTheConnectionAndChangesNothing() async throws {
        try await withFaults(FaultPlan([.reset: 1])) { harness in
            let ids = seededPair(harness)
            #expect(await harness.outcome { try await harness.client.edit(mod: "m", imageIDs: ids.reversed()) } == .transport)
            #expect(harness.state.galleries["m"] == ids)
            #expect(harness.state.faults["reset"] == 1)
            #expect(harness.state.requests["edit"] == 1)
        }
    }

    @Test func aResetUploadStoresNothing() async throws {
        try await withFaults(FaultPlan([.reset: 1], calls: [.upload])) { harness in
            let (file, _) = try harness.image(seed: 3)
            let uploadURL = try await harness.client.add(mod: "m")
            #expect(await harness.outcome { try await harness.client.upload(file, to: uploadURL) } == .transport)
            #expect(harness.state.galleries["m"] ?? [] == [])
            #expect(harness.state.uploadsPerImage.isEmpty)
            #expect(harness.state.faults["reset"] == 1)
            #expect(harness.state.requests == ["add": 1, "upload": 1, "edit": 0, "full": 0])
        }
    }

    @Test func internalErrorIsThe500OfTheAPIPage() async throws {
        try await withFaults(FaultPlan([.internalError: 1])) { harness in
            let ids = seededPair(harness)
            let outcome = await harness.outcome { try await harness.client.edit(mod: "m", imageIDs: ids.reversed()) }
            #expect(outcome == .api(code: "InternalError", httpStatus: 500, retryAfter: nil))
            #expect(harness.state.galleries["m"] == ids)
            #expect(harness.state.faults["internal-error"] == 1)
            #expect(harness.state.injectedFailures == 1)
        }
    }

    @Test func failRateIsAnAliasOfInternalError() async throws {
        try await withFaults(FaultPlan(), configure: { $0.failRate = 1 }) { harness in
            let outcome = await harness.outcome { try await harness.client.add(mod: "m") }
            #expect(outcome == .api(code: "InternalError", httpStatus: 500, retryAfter: nil))
            #expect(harness.state.faults["internal-error"] == 1)
            #expect(harness.state.injectedFailures == 1)
        }
    }

    @Test func htmlErrorAlternates502And503() async throws {
        try await withFaults(FaultPlan([.htmlError: 1])) { harness in
            let ids = seededPair(harness)
            var statuses: [Int] = []
            for _ in 0..<3 {
                do {
                    _ = try await harness.client.edit(mod: "m", imageIDs: ids.reversed())
                    Issue.record("an html-error request succeeded")
                } catch let error as PortalError {
                    guard case .server(let status, _, let snippet) = error else {
                        Issue.record("unexpected error \(error)")
                        continue
                    }
                    // The page reaches the user as its title only (sanitised, one line).
                    #expect(snippet.hasPrefix("an HTML page titled \"\(status) "), "\(snippet)")
                    statuses.append(status)
                } catch {
                    Issue.record("unexpected error \(error)")
                }
            }
            #expect(statuses == [502, 503, 502])
            #expect(harness.state.galleries["m"] == ids)
            #expect(harness.state.faults["html-error"] == 3)
        }
    }

    @Test func aBurstAnswers429ToTheNextRequestsWhateverTheirCall() async throws {
        try await withFaults(FaultPlan([.burst429: 1], burstLength: 2, calls: [.full])) { harness in
            let ids = seededPair(harness)
            let tooMany = Outcome.api(code: "InternalError", httpStatus: 429, retryAfter: 1)
            #expect(await harness.outcome { try await harness.client.gallery(mod: "m") } == tooMany)
            for _ in 0..<2 {
                #expect(await harness.outcome { try await harness.client.edit(mod: "m", imageIDs: ids.reversed()) } == tooMany)
            }
            #expect(harness.state.galleries["m"] == ids)
            // The burst is over and edits draw no fault here.
            #expect(await harness.outcome { try await harness.client.edit(mod: "m", imageIDs: ids.reversed()) } == .ok)
            #expect(harness.state.galleries["m"] == ids.reversed())
            #expect(harness.state.faults["burst-429"] == 3)
            #expect(harness.state.rateLimited == 0)
        }
    }

    // MARK: Modes that process the request

    @Test func truncatedAnswersHalfTheJSONAfterProcessing() async throws {
        try await withFaults(FaultPlan([.truncated: 1])) { harness in
            let ids = seededPair(harness)
            #expect(await harness.outcome { try await harness.client.edit(mod: "m", imageIDs: ids.reversed()) } == .malformed(httpStatus: 200))
            #expect(harness.state.galleries["m"] == ids.reversed())
            #expect(harness.state.faults["truncated"] == 1)
        }
    }

    @Test func aTruncatedUploadAnswerStillStoresTheImage() async throws {
        try await withFaults(FaultPlan([.truncated: 1], calls: [.upload])) { harness in
            let (file, id) = try harness.image(seed: 4)
            let uploadURL = try await harness.client.add(mod: "m")
            #expect(await harness.outcome { try await harness.client.upload(file, to: uploadURL) } == .malformed(httpStatus: 200))
            #expect(harness.state.galleries["m"] == [id])
            #expect(harness.state.uploadsPerImage["m"]?[id] == 1)
        }
    }

    @Test func slowProcessesThenAnswersTooLateForTheClient() async throws {
        // The simulator holds its answer far longer than the client waits, with margins wide
        // enough for a loaded machine; what is checked is the outcome, not the clock.
        try await withFaults(FaultPlan([.slow: 1], slowMilliseconds: 4000), requestTimeout: 1) { harness in
            let ids = seededPair(harness)
            #expect(await harness.outcome { try await harness.client.edit(mod: "m", imageIDs: ids.reversed()) } == .transport)
            #expect(harness.state.galleries["m"] == ids.reversed())
            #expect(harness.state.faults["slow"] == 1)
        }
    }

    @Test func slowStillAnswersAPatientClient() async throws {
        try await withFaults(FaultPlan([.slow: 1], slowMilliseconds: 150)) { harness in
            #expect(await harness.outcome { try await harness.client.add(mod: "m") } == .ok)
            #expect(harness.state.faults["slow"] == 1)
        }
    }

    @Test func aLostUploadIsStoredButNeverAnswered() async throws {
        try await withFaults(FaultPlan([.lostUpload: 1])) { harness in
            let (file, id) = try harness.image(seed: 5)
            // lost-upload applies to uploads only: add and edit go through.
            let uploadURL = try await harness.client.add(mod: "m")
            #expect(await harness.outcome { try await harness.client.upload(file, to: uploadURL) } == .transport)
            #expect(harness.state.galleries["m"] == [id])
            #expect(harness.state.uploadsPerImage["m"]?[id] == 1)
            #expect(harness.state.faults["lost-upload"] == 1)
            #expect(try await harness.client.edit(mod: "m", imageIDs: [id]).map(\.id) == [id])
            #expect(harness.state.faults.values.reduce(0, +) == 1)
        }
    }

    // MARK: Replay

    /// Adds, uploads, lists and reorders a few images, whatever the faults; answers every outcome in order.
    func mixedSession(seed: UInt64) async throws -> (outcomes: [String], state: SimState) {
        let plan = FaultPlan(
            [.reset: 0.1, .internalError: 0.1, .htmlError: 0.1, .truncated: 0.05, .burst429: 0.05, .lostUpload: 0.1],
            burstLength: 1
        )
        return try await withFaults(plan, seed: seed) { harness in
            var outcomes: [String] = []
            var uploaded: [String] = []
            for index in 0..<12 {
                let (file, id) = try harness.image(seed: 100 + index)
                do {
                    let uploadURL = try await harness.client.add(mod: "m")
                    outcomes.append("add:ok")
                    let upload = await harness.outcome { try await harness.client.upload(file, to: uploadURL) }
                    outcomes.append("upload:\(upload)")
                    if upload == .ok { uploaded.append(id) }
                } catch let error as PortalError {
                    outcomes.append("add:\(Outcome(error))")
                }
                let gallery = await harness.outcome { try await harness.client.gallery(mod: "m") }
                outcomes.append("full:\(gallery)")
                let edit = await harness.outcome { try await harness.client.edit(mod: "m", imageIDs: uploaded.reversed()) }
                outcomes.append("edit:\(edit)")
            }
            return (outcomes, harness.state)
        }
    }

    @Test func theSameSeedReplaysTheSameFaults() async throws {
        let first = try await mixedSession(seed: 42)
        let second = try await mixedSession(seed: 42)
        #expect(first.outcomes == second.outcomes)
        #expect(first.state.faults == second.state.faults)
        #expect(first.state == second.state)

        let injected = first.state.faults.values.reduce(0, +)
        let requests = first.state.requests.values.reduce(0, +)
        #expect(injected > 0 && injected < requests, "expected a mix of faults and normal answers: \(first.outcomes)")
        #expect(first.outcomes.count == requests, "one request per client call, no retries")

        let other = try await mixedSession(seed: 7)
        #expect(other.outcomes != first.outcomes)
    }
}
