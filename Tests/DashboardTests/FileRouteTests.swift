import Foundation
import Hummingbird
import NIOCore
import HummingbirdTesting
import ModImgDashboard
import TestSupport
import Testing

/// `/files/<job>` serves only a file the database names, by job id, through the worker's safe open.
@Suite(.serialized) struct FileRouteTests {
    func withDashboard(_ body: @escaping @Sendable (DashboardFixture, any TestClientProtocol) async throws -> Void) async throws {
        try await withSimulator(DashboardFixture.configure) { _, url in
            let fixture = try await DashboardFixture.make(simulatorURL: url)
            let app = Application(router: try fixture.dashboard().router())
            try await app.test(.router) { client in try await body(fixture, client) }
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
}
