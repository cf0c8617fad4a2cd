import Foundation

/// A file opened for reading, by descriptor, closed when the last reference goes. Reading is
/// positional (`pread`), so every reader sees the bytes of this one open file from the start,
/// whatever happens meanwhile to the path it was opened by.
public final class OpenFile: Sendable {
    public let descriptor: Int32

    /// Takes ownership of `descriptor`.
    public init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// Up to `count` bytes at `offset`; fewer at the end of the file, none past it.
    public func read(at offset: Int64, upTo count: Int) throws -> Data {
        var data = Data()
        data.reserveCapacity(min(count, 1 << 20))
        try withUnsafeTemporaryAllocation(byteCount: min(count, 64 << 10), alignment: 16) { buffer in
            while data.count < count {
                let got = try readOnce(into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<min(buffer.count, count - data.count)]),
                    at: offset + Int64(data.count))
                if got == 0 { break }
                data.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[..<got]))
            }
        }
        return data
    }

    /// Fills `buffer` from `offset` (fewer bytes only at the end of the file); the count read.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
        var filled = 0
        while filled < buffer.count {
            let got = try readOnce(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]), at: offset + Int64(filled))
            if got == 0 { break }
            filled += got
        }
        return filled
    }

    /// Calls `body` with the file's bytes from its start, chunk by chunk through one reused
    /// buffer (not cleared between chunks: only the bytes read are passed), until the end of the
    /// file; returns how many bytes were passed.
    public func forEachChunk(_ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int64 {
        try withUnsafeTemporaryAllocation(byteCount: 64 << 10, alignment: 16) { buffer in
            var total: Int64 = 0
            while case let got = try readOnce(into: buffer, at: total), got > 0 {
                try body(UnsafeRawBufferPointer(rebasing: buffer[..<got]))
                total += Int64(got)
            }
            return total
        }
    }

    /// One `pread` into `buffer` at `offset`, repeated on EINTR; the count read, 0 at the end.
    private func readOnce(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
        while true {
            let got = pread(descriptor, buffer.baseAddress, buffer.count, off_t(offset))
            if got >= 0 { return got }
            if errno != EINTR { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        }
    }
}
