import Foundation
import Hummingbird
import ModPortal

/// A response body that reads a range of an open file as it is sent, `chunkSize` bytes at a
/// time, so memory stays a few chunks per request however big the file. Each write waits
/// while the connection cannot take more (a slow client slows the reads, it does not buffer
/// them). A file that ends early (truncated meanwhile) ends the response with an error, so the
/// client sees a short body, never bytes made up.
enum FileStream {
    static let chunkSize = 64 << 10

    struct EndedEarly: Error {}

    static func body(_ file: OpenFile, _ range: Range<Int64>) -> ResponseBody {
        ResponseBody(contentLength: Int(range.count)) { writer in
            var offset = range.lowerBound
            while offset < range.upperBound {
                let wanted = Int(min(Int64(chunkSize), range.upperBound - offset))
                var buffer = ByteBufferAllocator().buffer(capacity: wanted)
                let got = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: wanted) { bytes in
                    try read(file, into: UnsafeMutableRawBufferPointer(rebasing: bytes[..<wanted]), at: offset)
                }
                guard got > 0 else { throw EndedEarly() }
                try await writer.write(buffer)
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
