import Foundation

@testable import ModPortal

extension ImageUpload {
    /// An upload of the file at `path`, opened here (the worker opens its files itself).
    init(path: String, size: Int64, contentType: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        self.init(
            file: OpenFile(descriptor: descriptor), size: size, fileName: (path as NSString).lastPathComponent,
            contentType: contentType)
    }
}
