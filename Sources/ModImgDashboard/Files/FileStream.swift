import Foundation
import Hummingbird
import NIOCore
import ModPortal

/// A response body that reads a range of an open file as it is sent, `chunkSize` bytes at a
/// time, so memory stays a few chunks per request however big the file. After each chunk it
/// waits for the connection's event loop to have taken the chunk in (a task queued behind it
/// there has run): then the writer knows whether the connection can take more, and the next
/// write waits while it cannot. Without that wait, reads from the page cache outrun the event
/// loop by tens of megabytes per download. A slow client slows the reads; nothing piles up.
/// A file that ends early (truncated meanwhile) ends the response with an error, so the client
/// sees a short body, never bytes made up.
enum FileStream {
    static let chunkSize = 64 << 10

    struct EndedEarly: Error {}

    static func body(_ file: OpenFile, _ range: Range<Int64>, eventLoop: any EventLoop) -> ResponseBody {
        ResponseBody(contentLength: Int(range.count)) { writer in
            var offset = range.lowerBound
            var buffer = ByteBufferAllocator().buffer(capacity: chunkSize)
            while offset < range.upperBound {
                let wanted = Int(min(Int64(chunkSize), range.upperBound - offset))
                // Reuses the last chunk's memory once the connection has let go of it.
                buffer.clear()
                let got = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: wanted) { bytes in
                    try read(file, into: UnsafeMutableRawBufferPointer(rebasing: bytes[..<wanted]), at: offset)
                }
                guard got > 0 else { throw EndedEarly() }
                try await writer.write(buffer)
                try await eventLoop.submit {}.get()
                offset += Int64(got)
            }
            try await writer.finish(nil)
        }
    }

    /// One `pread`, repeated on EINTR: the count read, 0 at the end of the file.
    private static func read(_ file: OpenFile, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
        while true {
            let got = pread(file.descriptor, buffer.baseAddress, buffer.count, off_t(offset))
            if got >= 0 { return got }
            if errno != EINTR { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        }
    }
}
