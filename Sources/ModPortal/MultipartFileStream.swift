import Crypto
import Foundation
import NIOCore

/// A multipart body streamed from one open file: prefix, the file's first `size` bytes in
/// chunks, suffix. The file is never held in memory whole, and never reopened by path.
///
/// Every chunk is hashed as it is read, and the last one is held back until the SHA1 of all the
/// bytes read equals `sha1`: a file rewritten in place while it streams (same inode, same size,
/// other bytes) makes the stream throw `ChangedWhileSending` before its last bytes and the
/// closing boundary go out, so the request is cut off short of its announced length and no
/// portal can store what was sent.
struct MultipartFileStream: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let prefix: Data
    let file: OpenFile
    let size: Int64
    /// The SHA1 (lower-case hex) the file's `size` bytes must have.
    let sha1: String
    let suffix: Data
    var chunkSize = 256 * 1024

    /// The bytes read from the file are not the bytes whose SHA1 was checked.
    struct ChangedWhileSending: Error, Equatable {
        /// The SHA1 of what was read (all `bytesRead` of it).
        let readSHA1: String
        let bytesRead: Int64
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        enum Stage { case prefix, file(offset: Int64), finished }
        let stream: MultipartFileStream
        var stage: Stage = .prefix
        var hasher = Insecure.SHA1()

        mutating func next() async throws -> ByteBuffer? {
            switch stage {
            case .prefix:
                stage = .file(offset: 0)
                return ByteBuffer(bytes: stream.prefix)
            case .file(let offset):
                // Read straight into the buffer that goes out (no copy through `Data`), and
                // hashed from there; room for the suffix in case this is the last chunk.
                let wanted = Int(Swift.min(Int64(stream.chunkSize), stream.size - offset))
                var buffer = ByteBufferAllocator().buffer(capacity: wanted + stream.suffix.count)
                let file = stream.file
                let got = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: wanted) { space in
                    try file.read(into: UnsafeMutableRawBufferPointer(rebasing: space[..<wanted]), at: offset)
                }
                buffer.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                let end = offset + Int64(got)
                if got == wanted, end < stream.size {
                    stage = .file(offset: end)
                    return buffer
                }
                // The last chunk (or the file ended early): it goes out, with the closing
                // boundary, only if everything read is what was hashed before.
                stage = .finished
                let readSHA1 = Hex.string(hasher.finalize())
                guard end == stream.size, readSHA1 == stream.sha1.lowercased() else {
                    throw ChangedWhileSending(readSHA1: readSHA1, bytesRead: end)
                }
                buffer.writeBytes(stream.suffix)
                return buffer
            case .finished:
                return nil
            }
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(stream: self) }
}
