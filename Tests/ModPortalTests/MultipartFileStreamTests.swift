import Foundation
import TestSupport
import Testing

@testable import ModPortal

/// The upload body hashes what it streams and holds its last bytes back until they match.
@Suite struct MultipartFileStreamTests {
    let dir: TemporaryDirectory
    let path: String
    let original: Data

    init() throws {
        dir = try TemporaryDirectory("stream")
        original = ImageFixtures.png(seed: 21)
        path = dir.file("a.png")
        try original.write(to: URL(fileURLWithPath: path))
    }

    /// A stream of the file at `path` in chunks of 64 bytes, that must hash to the original's SHA1.
    func stream() throws -> MultipartFileStream {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        #expect(descriptor >= 0)
        return MultipartFileStream(
            prefix: Data("<prefix>".utf8), file: OpenFile(descriptor: descriptor), size: Int64(original.count),
            sha1: ImageFixtures.sha1Hex(original), suffix: Data("<suffix>".utf8), chunkSize: 64)
    }

    /// Writes `bytes` over the file at `offset`: the same inode, the same size.
    func overwriteInPlace(at offset: Int, with bytes: Data) throws {
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: bytes)
        try handle.close()
    }

    func inode() -> UInt64 {
        var info = stat()
        #expect(stat(path, &info) == 0)
        return UInt64(info.st_ino)
    }

    @Test func anUnchangedFileStreamsWholeBetweenPrefixAndSuffix() async throws {
        var sent = Data()
        for try await buffer in try stream() { sent.append(contentsOf: buffer.readableBytesView) }
        #expect(sent == Data("<prefix>".utf8) + original + Data("<suffix>".utf8))
    }

    @Test func aFileRewrittenInPlaceWhileItStreamsIsCutOffBeforeItsLastBytes() async throws {
        #expect(original.count > 3 * 64, "the file must span several chunks")
        var iterator = try stream().makeAsyncIterator()
        var sent = Data()
        for _ in 0..<2 { sent.append(contentsOf: try #require(try await iterator.next()).readableBytesView) }
        #expect(sent == Data("<prefix>".utf8) + original.prefix(64))
        // Past the first chunk, before the rest is read: other bytes, same size, same inode.
        let inode = self.inode()
        try overwriteInPlace(at: original.count - 40, with: Data(repeating: 0x5A, count: 30))
        #expect(self.inode() == inode)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).count == original.count)
        var thrown: MultipartFileStream.ChangedWhileSending?
        do {
            while let buffer = try await iterator.next() { sent.append(contentsOf: buffer.readableBytesView) }
        } catch let error as MultipartFileStream.ChangedWhileSending {
            thrown = error
        }
        let changed = try #require(thrown, "the rewritten bytes were streamed whole")
        #expect(changed.bytesRead == Int64(original.count))
        #expect(changed.readSHA1 == ImageFixtures.sha1Hex(try Data(contentsOf: URL(fileURLWithPath: path))))
        // Everything before the last chunk went out; the last chunk and the closing boundary did not.
        let lastChunkStart = (original.count - 1) / 64 * 64
        #expect(sent.count == "<prefix>".utf8.count + lastChunkStart)
        #expect(sent.range(of: Data("<suffix>".utf8)) == nil)
        #expect(try await iterator.next() == nil)
    }

    @Test func aFileThatShrankIsCutOffToo() async throws {
        #expect(truncate(path, off_t(original.count - 10)) == 0)
        var sent = Data()
        var thrown: MultipartFileStream.ChangedWhileSending?
        do {
            for try await buffer in try stream() { sent.append(contentsOf: buffer.readableBytesView) }
        } catch let error as MultipartFileStream.ChangedWhileSending {
            thrown = error
        }
        #expect(thrown?.bytesRead == Int64(original.count - 10))
        #expect(sent.range(of: Data("<suffix>".utf8)) == nil)
    }
}
