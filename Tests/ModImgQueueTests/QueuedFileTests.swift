import Foundation
import ModPortal
import TestSupport
import Testing

@testable import ModImgQueue

/// The file an upload sends is opened once, checked and hashed, and sent from that descriptor.
@Suite struct QueuedFileTests {
    let dir: TemporaryDirectory
    let path: String
    let upload: Job.Upload

    init() throws {
        dir = try TemporaryDirectory("queued")
        path = try ImageFixtures.writePNG(seed: 11, to: dir.url, name: "a.png")
        let data = ImageFixtures.png(seed: 11)
        upload = Job.Upload(path: path, sha1: ImageFixtures.sha1Hex(data), size: Int64(data.count), uploadURL: nil, readdCount: 0)
    }

    func refusal(of result: Result<QueuedFile, JobFailure>) -> JobFailure? {
        if case .failure(let failure) = result { return failure }
        return nil
    }

    /// Another file of exactly the same size as the queued one, standing for a private file.
    func privateFileOfTheSameSize() throws -> String {
        let secret = dir.file("id_rsa")
        try Data(repeating: 0x53, count: Int(upload.size)).write(to: URL(fileURLWithPath: secret))
        chmod(secret, 0o600)
        return secret
    }

    @Test func theBytesSentAreTheBytesHashedWhateverThePathNamesLater() throws {
        let queued = try QueuedFile.open(upload).get()
        #expect(queued.contentType == "image/png")
        // Replaced after the check, before the upload: the descriptor still reads the original.
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: try privateFileOfTheSameSize())
        let sent = ImageUpload(file: queued.file, size: upload.size, sha1: upload.sha1, fileName: "a.png", contentType: queued.contentType)
        #expect(ImageFile.sha1(of: sent) == upload.sha1)
    }

    @Test func aSymbolicLinkSwappedInIsNotFollowed() throws {
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: try privateFileOfTheSameSize())
        let failure = try #require(refusal(of: QueuedFile.open(upload)))
        #expect(failure.code == .fileChanged)
        #expect(failure.message.contains("is now a symbolic link"))
    }

    @Test func aFIFOSwappedInFailsAtOnceInsteadOfHanging() throws {
        try FileManager.default.removeItem(atPath: path)
        #expect(mkfifo(path, 0o600) == 0)
        let failure = try #require(refusal(of: QueuedFile.open(upload)))
        #expect(failure.code == .fileChanged)
        #expect(failure.message.contains("is no longer a regular file"))
    }

    @Test func anotherSizeOrOtherBytesOfTheSameSizeAreRefused() throws {
        try ImageFixtures.png(seed: 12).write(to: URL(fileURLWithPath: path))
        #expect(refusal(of: QueuedFile.open(upload))?.code == .fileChanged)
        var same = ImageFixtures.png(seed: 11)
        same[same.count / 2] ^= 0xFF
        try same.write(to: URL(fileURLWithPath: path))
        let failure = try #require(refusal(of: QueuedFile.open(upload)))
        #expect(failure.code == .fileChanged)
        #expect(failure.message.contains("SHA1"))
    }

    @Test func aMissingFileIsUnreadable() throws {
        try FileManager.default.removeItem(atPath: path)
        #expect(refusal(of: QueuedFile.open(upload))?.code == .fileUnreadable)
    }
}
