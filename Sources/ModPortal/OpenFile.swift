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
        var buffer = [UInt8](repeating: 0, count: count)
        while true {
            let got = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, off_t(offset)) }
            if got >= 0 { return Data(buffer[0..<got]) }
            if errno != EINTR { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        }
    }
}
