import Foundation
import NIOCore

/// A multipart body streamed from disk: prefix, the file in chunks, suffix.
/// The file is never held in memory whole.
struct MultipartFileStream: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let prefix: Data
    let fileURL: URL
    let suffix: Data
    var chunkSize = 256 * 1024

    struct AsyncIterator: AsyncIteratorProtocol {
        enum Stage { case prefix, file(FileHandle), finished }
        let stream: MultipartFileStream
        var stage: Stage = .prefix

        mutating func next() async throws -> ByteBuffer? {
            switch stage {
            case .prefix:
                stage = .file(try FileHandle(forReadingFrom: stream.fileURL))
                return ByteBuffer(bytes: stream.prefix)
            case .file(let handle):
                if let chunk = try handle.read(upToCount: stream.chunkSize), !chunk.isEmpty {
                    return ByteBuffer(bytes: chunk)
                }
                try? handle.close()
                stage = .finished
                return ByteBuffer(bytes: stream.suffix)
            case .finished:
                return nil
            }
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(stream: self) }
}
