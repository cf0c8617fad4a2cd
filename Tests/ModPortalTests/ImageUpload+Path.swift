import Foundation
import TestSupport

@testable import ModPortal

extension ImageUpload {
    /// An upload of the file at `path`, opened here (the worker opens its files itself), that
    /// must hash to `sha1`: by default the SHA1 of the file's first `size` bytes as they are now.
    init(path: String, size: Int64, contentType: String, sha1: String? = nil) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let expected = try sha1 ?? ImageFixtures.sha1Hex(Data(contentsOf: URL(fileURLWithPath: path)).prefix(Int(size)))
        self.init(
            file: OpenFile(descriptor: descriptor), size: size, sha1: expected, fileName: (path as NSString).lastPathComponent,
            contentType: contentType)
    }
}
