import Foundation
import NIOCore

/// A multipart body streamed from one open file: prefix, the file's first `size` bytes in
/// chunks, suffix. The file is never held in memory whole, and never reopened by path.
struct MultipartFileStream: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let prefix: Data
    let file: OpenFile
    let size: Int64
    let suffix: Data
    var chunkSize = 256 * 1024

    struct AsyncIterator: AsyncIteratorProtocol {
        enum Stage { case prefix, file(offset: Int64), finished }
        let stream: MultipartFileStream
        var stage: Stage = .prefix

        mutating func next() async throws -> ByteBuffer? {
            switch stage {
            case .prefix:
                stage = .file(offset: 0)
                return ByteBuffer(bytes: stream.prefix)
            case .file(let offset):
                let wanted = Int(Swift.min(Int64(stream.chunkSize), stream.size - offset))
                if wanted > 0 {
                    let chunk = try stream.file.read(at: offset, upTo: wanted)
                    // The file shrank under us: stop short; the length announced will not match and
                    // the portal refuses the upload rather than store other bytes.
                    if !chunk.isEmpty {
                        stage = .file(offset: offset + Int64(chunk.count))
                        return ByteBuffer(bytes: chunk)
                    }
                }
                stage = .finished
                return ByteBuffer(bytes: stream.suffix)
            case .finished:
                return nil
            }
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(stream: self) }
}
