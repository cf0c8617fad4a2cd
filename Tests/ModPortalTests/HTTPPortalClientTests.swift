import Foundation
import ModPortalSim
import TestSupport
import Testing

@testable import ModPortal

@Suite struct HTTPPortalClientTests {
    func upload(of data: Data, in dir: TemporaryDirectory) throws -> ImageUpload {
        let path = dir.file("image.png")
        try data.write(to: URL(fileURLWithPath: path))
        return try ImageUpload(path: path, size: Int64(data.count), contentType: "image/png")
    }

    @Test func addUploadEditAndGalleryRoundTrip() async throws {
        try await withSimulator { sim, url in
            let client = HTTPPortalClient(baseURL: url, apiKey: APIKey(SimDefaults.apiKey))
            defer { Task { await client.shutdown() } }
            let dir = try TemporaryDirectory()
            let data = ImageFixtures.png(seed: 5)
            let uploadURL = try await client.add(mod: "m")
            let image = try await client.upload(try upload(of: data, in: dir), to: uploadURL)
            #expect(image.id == ImageFixtures.sha1Hex(data))
            #expect(image.url.hasSuffix("/assets/\(image.id).png"))
            #expect(image.thumbnail.hasSuffix("/assets/\(image.id).thumb.png"))
            #expect(try await client.gallery(mod: "m") == [image])
            #expect(try await client.edit(mod: "m", imageIDs: [image.id]) == [image])
            let requests = sim.recordedRequests()
            #expect(requests.map(\.call) == [.add, .upload, .full, .edit])
            #expect(requests.first { $0.call == .upload }?.authorization == nil)
        }
    }

    @Test func aUsedUploadURLIsReportedAsNoLongerValid() async throws {
        try await withSimulator { _, url in
            let client = HTTPPortalClient(baseURL: url, apiKey: APIKey(SimDefaults.apiKey))
            defer { Task { await client.shutdown() } }
            let dir = try TemporaryDirectory()
            let file = try upload(of: ImageFixtures.png(seed: 6), in: dir)
            let uploadURL = try await client.add(mod: "m")
            _ = try await client.upload(file, to: uploadURL)
            do {
                _ = try await client.upload(file, to: uploadURL)
                Issue.record("a used upload_url was accepted")
            } catch let error as PortalError {
                guard case .uploadURLNotValid = error else {
                    Issue.record("unexpected error \(error)")
                    return
                }
            }
        }
    }

    @Test func wrongKeyAndMissingKey() async throws {
        try await withSimulator { sim, url in
            let wrong = HTTPPortalClient(baseURL: url, apiKey: APIKey("not-the-key"))
            let none = HTTPPortalClient(baseURL: url, apiKey: nil)
            defer { Task { await wrong.shutdown(); await none.shutdown() } }
            await #expect(throws: PortalError.api(code: "InvalidApiKey", message: "Missing or invalid API key for the current endpoint", httpStatus: 401, retryAfter: nil)) {
                try await wrong.add(mod: "m")
            }
            await #expect(throws: PortalError.missingApiKey) { try await none.edit(mod: "m", imageIDs: []) }
            #expect(sim.state().requests["edit"] == nil || sim.state().requests["edit"] == 0)
        }
    }

    @Test func aForeignUploadURLIsRefusedBeforeAnythingIsSent() async throws {
        try await withSimulator { sim, url in
            sim.injectResponse(for: .add, CannedResponse(status: 200, body: #"{"upload_url":"https://uploads.evil.example/x"}"#))
            let client = HTTPPortalClient(baseURL: url, apiKey: APIKey(SimDefaults.apiKey))
            defer { Task { await client.shutdown() } }
            await #expect(throws: PortalError.foreignUploadURL("uploads.evil.example")) { try await client.add(mod: "m") }
        }
    }

    /// A closed port is `unreachable` (code `Transport`, retried by the worker): after the connection
    /// tries of a retrying client, or at once for a client that does not retry connections.
    @Test(arguments: [true, false]) func aClosedPortIsUnreachable(retryingConnections: Bool) async throws {
        let client = HTTPPortalClient(
            baseURL: URL(string: "http://127.0.0.1:1")!, apiKey: APIKey("k"), retryingConnections: retryingConnections)
        defer { Task { await client.shutdown() } }
        do {
            _ = try await client.add(mod: "m")
            Issue.record("a closed port answered")
        } catch {
            guard case .unreachable(let detail) = error, detail == "connection refused by 127.0.0.1:1: nothing listens there" else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(error.code == "Transport")
        }
    }

    @Test func unknownModOnThePublicListing() async throws {
        try await withSimulator({ $0.knownMods = ["real-mod"] }) { _, url in
            let client = HTTPPortalClient(baseURL: url, apiKey: nil)
            defer { Task { await client.shutdown() } }
            await #expect(throws: PortalError.self) { try await client.gallery(mod: "no-such-mod") }
            let gallery = try await client.gallery(mod: "real-mod")
            #expect(gallery.isEmpty)
        }
    }

    @Test(arguments: [SimCall.add, .full])
    func aBodyThatDripsIsCutOffAtTheRequestDeadline(call: SimCall) async throws {
        // One byte every 400 ms: the answer would take many seconds past the 1 s deadline.
        try await withSimulator({ $0.faults = FaultPlan([.drip: 1], slowMilliseconds: 400, calls: [call]) }) { sim, url in
            var timeouts = HTTPPortalClient.Timeouts()
            timeouts.request = 1
            let client = HTTPPortalClient(baseURL: url, apiKey: APIKey(SimDefaults.apiKey), timeouts: timeouts)
            defer { Task { await client.shutdown() } }
            do {
                if call == .add { _ = try await client.add(mod: "m") } else { _ = try await client.gallery(mod: "m") }
                Issue.record("a dripping answer was waited out")
            } catch let error as PortalError {
                guard case .transport(let detail) = error, detail.contains("timed out") else {
                    Issue.record("unexpected error \(error)")
                    return
                }
            } catch {
                Issue.record("unexpected error \(error)")
            }
            #expect(sim.state().faults["drip"] == 1)
        }
    }
}
