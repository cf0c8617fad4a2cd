import Foundation
import Hummingbird
import NIOCore
import HummingbirdTesting
import ModImgDashboard
import ModImgQueue
import TestSupport
import Testing

/// `/files/<job>` serves only a file the database names, by job id, through the worker's safe open.
@Suite(.serialized) struct FileRouteTests {
    func withDashboard(_ body: @escaping @Sendable (DashboardFixture, any TestClientProtocol) async throws -> Void) async throws {
        try await withSimulator(DashboardFixture.configure) { _, url in
            let fixture = try await DashboardFixture.make(simulatorURL: url)
            try await withSignedInDashboard(try fixture.dashboard()) { client in try await body(fixture, client) }
        }
    }

    func get(_ client: any TestClientProtocol, _ path: String) async throws -> (HTTPResponse.Status, Data, String?) {
        try await client.execute(uri: path, method: .get) { response in
            (response.status, Data(response.body.readableBytesView), response.headers[.contentType])
        }
    }

    @Test func aQueuedOrUploadedJobsFileIsServedAsTheImageItIs() async throws {
        try await withDashboard { fixture, client in
            for (job, file) in [(fixture.queuedUpload, fixture.files[3]), (fixture.alphaUploads[0], fixture.files[0])] {
                let (status, body, type) = try await get(client, "/files/\(job)")
                #expect(status == .ok)
                #expect(type == "image/png")
                #expect(body == (try Data(contentsOf: URL(fileURLWithPath: file))))
            }
        }
    }

    @Test func pathsUnknownIdsReordersAndFilesNotInTheDatabaseAre404() async throws {
        try await withDashboard { fixture, client in
            let notInDatabase = fixture.files[2].replacingOccurrences(of: "shot-3", with: "stray")
            try ImageFixtures.png(seed: 4242).write(to: URL(fileURLWithPath: notInDatabase))
            let paths = [
                "/files/999", "/files/\(fixture.reorder)", "/files/abc", "/files/1.png", "/files/-1",
                "/files/%2Fetc%2Fpasswd", "/files/..%2F..%2Fetc%2Fpasswd", "/files/../../etc/passwd",
                "/files" + notInDatabase, "/files/" + (notInDatabase as NSString).lastPathComponent,
                "/files//\(fixture.queuedUpload)x",
            ]
            for path in paths {
                let (status, body, _) = try await get(client, path)
                #expect(status == .notFound, "\(path)")
                #expect(!body.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(path)")
            }
        }
    }

    @Test func aSymlinkInPlaceOfTheQueuedFileIs404() async throws {
        try await withDashboard { fixture, client in
            let file = fixture.files[3]
            let target = file + ".real"
            try FileManager.default.moveItem(atPath: file, toPath: target)
            try FileManager.default.createSymbolicLink(atPath: file, withDestinationPath: target)
            let (status, _, _) = try await get(client, "/files/\(fixture.queuedUpload)")
            #expect(status == .notFound)
        }
    }

    @Test func aChangedOrCancelledJobsFileIs404() async throws {
        try await withDashboard { fixture, client in
            // The same size, other bytes: no longer the file the job queued.
            var bytes = try Data(contentsOf: URL(fileURLWithPath: fixture.files[0]))
            bytes[bytes.count - 20] ^= 0xFF
            try bytes.write(to: URL(fileURLWithPath: fixture.files[0]))
            #expect(try await get(client, "/files/\(fixture.alphaUploads[0])").0 == .notFound)
            #expect(try await fixture.cli(["cancel", "\(fixture.queuedUpload)"]).status == 0)
            #expect(try await get(client, "/files/\(fixture.queuedUpload)").0 == .notFound)
        }
    }

    /// A PNG of about `size` bytes, most of them one big block of other bytes before its end.
    static func writeBigPNG(size: Int, to directory: URL) throws -> String {
        let small = ImageFixtures.png(seed: 31)
        var generator = SystemRandomNumberGenerator()
        let filler = Data((0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let path = directory.appendingPathComponent("big.png").path
        try (small.dropLast(12) + filler + small.suffix(12)).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A file of many chunks, through a real server on loopback: whole (200), one range of it
    /// (206), a range it cannot serve (416), or a Range header it ignores (200).
    @Test func aBigFileStreamsWholeOrInOneRange() async throws {
        try await withSimulator(DashboardFixture.configure) { _, url in
            let fixture = try await DashboardFixture.make(simulatorURL: url)
            let path = try Self.writeBigPNG(size: 1_300_000, to: fixture.dir.url)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            let n = bytes.count
            let queue = try QueueDatabase.open(path: fixture.db)
            let job = try await Enqueuer(database: queue).enqueueUploads(mod: "big", paths: [path]).queued[0]
            let dashboard = try fixture.dashboard()
            let app = Application(router: dashboard.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await app.test(.live) { client in
                let client = try await SignedInClient.signIn(client, dashboard.secrets)
                func get(_ range: String?) async throws -> (HTTPResponse.Status, Data, HTTPFields) {
                    var headers = HTTPFields()
                    if let range { headers[.range] = range }
                    return try await client.execute(uri: "/files/\(job)", method: .get, headers: headers) { response in
                        (response.status, Data(response.body.readableBytesView), response.headers)
                    }
                }
                let (status, body, headers) = try await get(nil)
                #expect(status == .ok)
                #expect(body == bytes)
                #expect(headers[.contentLength] == "\(n)")
                #expect(headers[.acceptRanges] == "bytes")
                #expect(headers[.contentType] == "image/png")
                let parts: [(String, Range<Int>)] = [
                    ("bytes=0-99", 0..<100), ("bytes=70000-200000", 70_000..<200_001), ("bytes=\(n - 10)-", n - 10..<n),
                    ("bytes=-500", n - 500..<n), ("bytes=\(n - 5)-\(n + 100)", n - 5..<n), ("bytes=-\(n + 9)", 0..<n),
                    (" bytes=3-3 ", 3..<4),
                ]
                for (header, range) in parts {
                    let (status, body, headers) = try await get(header)
                    #expect(status == .partialContent, "\(header)")
                    #expect(body == bytes[range], "\(header)")
                    #expect(headers[.contentRange] == "bytes \(range.lowerBound)-\(range.upperBound - 1)/\(n)", "\(header)")
                    #expect(headers[.contentLength] == "\(range.count)", "\(header)")
                }
                for header in ["bytes=\(n)-", "bytes=\(n + 10)-\(n + 20)", "bytes=abc", "bytes=5-3", "bytes=-0", "bytes=-", "bytes=1-x", "bytes="] {
                    let (status, body, headers) = try await get(header)
                    #expect(status == .rangeNotSatisfiable, "\(header)")
                    #expect(headers[.contentRange] == "bytes */\(n)", "\(header)")
                    #expect(!body.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(header)")
                }
                for header in ["bytes=0-1,5-6", "items=0-5"] {
                    let (status, body, _) = try await get(header)
                    #expect(status == .ok, "\(header)")
                    #expect(body == bytes, "\(header)")
                }
            }
        }
    }
}
