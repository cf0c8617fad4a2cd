import AsyncHTTPClient
import Foundation
import ModPortal
import ModPortalSim
import NIOCore
import TestSupport
import Testing

/// The simulator's request log: `recordedRequests()` and `GET /__sim/requests`.
@Suite struct SimRequestLogTests {
    /// `GET base+path` with a plain HTTP client (not the product's), answering status and body.
    func fetch(_ base: URL, _ path: String) async throws -> (status: Int, body: Data) {
        let response = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: base.absoluteString + path),
            timeout: .seconds(10)
        )
        let body = try await response.body.collect(upTo: 64 * 1024 * 1024)
        return (Int(response.status.code), Data(body.readableBytesView))
    }

    /// The log as served, each entry as its raw JSON object.
    func served(_ base: URL) async throws -> [[String: Any]] {
        let (status, body) = try await fetch(base, "/__sim/requests")
        #expect(status == 200)
        return try #require(try JSONSerialization.jsonObject(with: body) as? [[String: Any]])
    }

    /// An entry decoded exactly (JSONSerialization rounds the last digits of `at`).
    struct Entry: Decodable {
        var at: Double
    }

    @Test func everyRequestCarriesItsArrivalTimeAndStatusAndTheLogIsServedWithoutKeys() async throws {
        try await withSimulator { sim, url in
            let client = HTTPPortalClient(baseURL: url, apiKey: APIKey(SimDefaults.apiKey))
            let wrong = HTTPPortalClient(baseURL: url, apiKey: APIKey("not-the-key"))
            defer { Task { await client.shutdown(); await wrong.shutdown() } }
            let dir = try TemporaryDirectory()
            let path = dir.file("image.png")
            let data = ImageFixtures.png(seed: 7)
            try data.write(to: URL(fileURLWithPath: path))
            let file = try ImageUpload(path: path, size: Int64(data.count), contentType: "image/png")

            let start = Date().timeIntervalSince1970
            let uploadURL = try await client.add(mod: "m")
            let image = try await client.upload(file, to: uploadURL)
            _ = try await client.gallery(mod: "m")
            _ = try await client.edit(mod: "m", imageIDs: [image.id])
            await #expect(throws: PortalError.self) { try await wrong.add(mod: "m") }
            #expect(try await fetch(url, "/no/such/path").status == 404)
            // Control routes are neither recorded nor counted.
            #expect(try await fetch(url, "/__sim/state").status == 200)
            let entries = try await served(url)
            let decoded = try JSONDecoder().decode([Entry].self, from: try await fetch(url, "/__sim/requests").body)
            let end = Date().timeIntervalSince1970

            let recorded = sim.recordedRequests()
            #expect(recorded.map(\.call) == [.add, .upload, .full, .edit, .add, nil])
            #expect(recorded.map(\.status) == [200, 200, 200, 200, 401, 404])
            #expect(recorded.map(\.at) == recorded.map(\.at).sorted())
            #expect(recorded.allSatisfy { $0.at >= start && $0.at <= end })
            #expect(sim.state().requests == ["add": 2, "upload": 1, "edit": 1, "full": 1])

            #expect(entries.count == recorded.count)
            for (entry, request) in zip(entries, recorded) {
                #expect(Set(entry.keys) == ["call", "method", "path", "at", "status", "authorized"])
                #expect(entry["call"] as? String == request.call?.rawValue)
                #expect(entry["method"] as? String == request.method)
                #expect(entry["path"] as? String == request.path)
                #expect(entry["at"] is Double)
                #expect(entry["status"] as? Int == request.status)
                #expect(entry["authorized"] as? Bool == (request.authorization != nil))
            }
            #expect(decoded.map(\.at) == recorded.map(\.at))
            #expect(entries.map { $0["authorized"] as? Bool } == [true, false, false, true, true, false])
            #expect(entries.last?["call"] is NSNull)
            #expect(entries.map { $0["method"] as? String } == ["POST", "POST", "GET", "POST", "POST", "GET"])

            let raw = String(decoding: try await fetch(url, "/__sim/requests").body, as: UTF8.self)
            #expect(!raw.contains(SimDefaults.apiKey))
            #expect(!raw.contains("not-the-key"))
            #expect(!raw.contains("Bearer"))
            #expect(sim.recordedRequests().count == recorded.count)
        }
    }

    @Test func aDroppedConnectionHasNoStatusAndFaultsSpareTheLog() async throws {
        try await withSimulator({ $0.faults = FaultPlan([.reset: 1]) }) { sim, url in
            let client = HTTPPortalClient(baseURL: url, apiKey: APIKey(SimDefaults.apiKey))
            defer { Task { await client.shutdown() } }
            await #expect(throws: PortalError.self) { try await client.gallery(mod: "m") }
            let entries = try await served(url)
            #expect(entries.count == 1)
            #expect(entries.first?["call"] as? String == "full")
            #expect(entries.first?["status"] is NSNull)
            #expect(sim.recordedRequests().map(\.status) == [nil])
            #expect(sim.state().faults["reset"] == 1)
        }
    }

    @Test func theLogServesThousandsOfEntriesInArrivalOrder() async throws {
        try await withSimulator { sim, url in
            let total = 3000
            try await withThrowingTaskGroup(of: Int.self) { group in
                var next = 0
                func launch() {
                    let index = next
                    next += 1
                    group.addTask { try await fetch(url, "/api/mods/mod-\(index)/full").status }
                }
                for _ in 0..<32 { launch() }
                while let status = try await group.next() {
                    #expect(status == 200)
                    if next < total { launch() }
                }
            }
            let entries = try await served(url)
            #expect(entries.count == total)
            let times = try JSONDecoder().decode([Entry].self, from: try await fetch(url, "/__sim/requests").body).map(\.at)
            #expect(times.count == total)
            #expect(times == times.sorted())
            #expect(entries.allSatisfy { $0["status"] as? Int == 200 && $0["authorized"] as? Bool == false })
            #expect(sim.state().requests["full"] == total)
        }
    }
}
