import Foundation
import ModPortalSim
import TestSupport
import Testing

@testable import ModPortal

/// An upload whose bytes do not hash to the SHA1 it must have is cut off before its end: the
/// portal (the simulator, over a real connection) stores nothing and its `upload_url` stays unused.
@Suite struct UploadCutOffTests {
    @Test func bytesThatDoNotHashToTheQueuedSHA1AreCutOffAndNothingIsStored() async throws {
        try await withSimulator { sim, url in
            let client = HTTPPortalClient(baseURL: url, apiKey: APIKey(SimDefaults.apiKey))
            defer { Task { await client.shutdown() } }
            let dir = try TemporaryDirectory()
            // An image of several upload chunks, so most of the body is on the wire before the check.
            let image = ImageFixtures.png(seed: 31) + Data(repeating: 0x20, count: 1 << 20)
            let path = dir.file("a.png")
            try image.write(to: URL(fileURLWithPath: path))
            let queuedSHA1 = ImageFixtures.sha1Hex(ImageFixtures.png(seed: 32) + Data(repeating: 0x20, count: 1 << 20))
            let uploadURL = try await client.add(mod: "m")
            let changed = try ImageUpload(path: path, size: Int64(image.count), contentType: "image/png", sha1: queuedSHA1)
            let cutOff = PortalError.fileChangedWhileSending(readSHA1: ImageFixtures.sha1Hex(image), bytesRead: Int64(image.count))
            await #expect(throws: cutOff) { try await client.upload(changed, to: uploadURL) }
            #expect(PortalError.fileChangedWhileSending(readSHA1: "x", bytesRead: 1).code == "FileChanged")
            let state = sim.state()
            #expect(state.uploadsPerImage["m"] == nil, "\(state.uploadsPerImage)")
            #expect(state.galleries["m", default: []].isEmpty)
            // The body ended short of its length: the upload_url was never spent, and takes the right bytes.
            let intact = try ImageUpload(path: path, size: Int64(image.count), contentType: "image/png")
            #expect(try await client.upload(intact, to: uploadURL).id == ImageFixtures.sha1Hex(image))
            #expect(sim.state().uploadsPerImage["m"] == [ImageFixtures.sha1Hex(image): 1])
        }
    }
}
