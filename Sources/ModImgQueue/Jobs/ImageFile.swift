import Crypto
import Foundation
import ModPortal

/// An image file checked for upload: a readable regular file, PNG/JPEG/GIF by content,
/// complete, within the size limit; with its SHA1 and size.
public struct ImageFile: Sendable, Equatable {
    public enum Format: String, Sendable {
        case png, jpeg, gif

        public var contentType: String {
            switch self {
            case .png: return "image/png"
            case .jpeg: return "image/jpeg"
            case .gif: return "image/gif"
            }
        }
    }

    /// The portal's own cap is not published; 20 MiB is far above any gallery screenshot.
    public static let defaultMaxBytes: Int64 = 20 * 1024 * 1024

    public let path: String
    public let sha1: String
    public let size: Int64
    public let format: Format

    /// A file as already inspected (by `inspect`, or by a benchmark that makes up files).
    public init(path: String, sha1: String, size: Int64, format: Format) {
        self.path = path
        self.sha1 = sha1
        self.size = size
        self.format = format
    }

    /// Checks the file at `path` (made absolute) and hashes it.
    public static func inspect(path rawPath: String, maxBytes: Int64 = defaultMaxBytes) throws(ImageFileError)
        -> ImageFile
    {
        let path = absolute(rawPath)
        var info = stat()
        guard stat(path, &info) == 0 else {
            switch errno {
            case ENOENT: throw FileNameBytes.nonUTF8Original(of: path).map(ImageFileError.nameNotUTF8) ?? .missing(path)
            case ELOOP: throw .symlinkLoop(path)
            default: throw .unreadable(path)
            }
        }
        let kind = info.st_mode & S_IFMT
        if kind == S_IFDIR { throw .directory(path) }
        guard kind == S_IFREG else { throw .notRegular(path) }
        let size = Int64(info.st_size)
        if size == 0 { throw .empty(path) }
        if size > maxBytes { throw .tooLarge(path, size: size, limit: maxBytes) }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadable(path) }
        let file = OpenFile(descriptor: descriptor)
        do {
            let head = try file.read(at: 0, upTo: 16)
            guard let format = detectFormat(head) else { throw ImageFileError.notAnImage(path) }
            let tailLength = min(size, 12)
            let tail = try file.read(at: size - tailLength, upTo: Int(tailLength))
            guard isComplete(format: format, tail: tail) else { throw ImageFileError.truncated(path, format) }
            let (sha1, hashedBytes) = try sha1Hex(of: file)
            guard hashedBytes == size else { throw ImageFileError.changedWhileReading(path) }
            return ImageFile(path: path, sha1: sha1, size: size, format: format)
        } catch let error as ImageFileError {
            throw error
        } catch {
            throw .unreadable(path)
        }
    }

    /// The SHA1 of the bytes an upload sends, or nil if they cannot be read.
    public static func sha1(of upload: ImageUpload) -> String? { QueuedFile.sha1(of: upload) }

    static func detectFormat(_ head: Data) -> Format? {
        let bytes = [UInt8](head)
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if bytes.starts(with: Array("GIF87a".utf8)) || bytes.starts(with: Array("GIF89a".utf8)) { return .gif }
        return nil
    }

    /// Whether the file ends the way a complete file of its format ends.
    static func isComplete(format: Format, tail: Data) -> Bool {
        let bytes = [UInt8](tail)
        switch format {
        case .png:
            // The IEND chunk: zero length, type "IEND", fixed CRC.
            return bytes.count == 12
                && bytes == [0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]
        case .jpeg:
            // The end-of-image marker, allowing for trailing padding some encoders add.
            var trimmed = bytes[...]
            while let last = trimmed.last, last == 0x00 || last == 0x0A || last == 0x0D { trimmed = trimmed.dropLast() }
            return trimmed.suffix(2).elementsEqual([0xFF, 0xD9])
        case .gif:
            return bytes.last == 0x3B
        }
    }

    static func sha1Hex(of file: OpenFile) throws -> (hex: String, bytes: Int64) {
        var hasher = Insecure.SHA1()
        let total = try file.forEachChunk { hasher.update(bufferPointer: $0) }
        return (Hex.string(hasher.finalize()), total)
    }

    /// Whether `path` starts with `/` and has no empty, `.` or `..` component (nor a trailing `/`).
    static func isCleanAbsolute(_ path: String) -> Bool {
        let bytes = path.utf8
        guard bytes.first == UInt8(ascii: "/"), bytes.count > 1 else { return false }
        var componentLength = 0
        var dots = 0
        for byte in bytes.dropFirst() {
            if byte == UInt8(ascii: "/") {
                if componentLength == 0 || componentLength == dots && dots <= 2 { return false }
                componentLength = 0
                dots = 0
            } else {
                componentLength += 1
                if byte == UInt8(ascii: ".") { dots += 1 }
            }
        }
        return componentLength > 0 && !(componentLength == dots && dots <= 2)
    }

    static func absolute(_ path: String) -> String {
        // Most paths (those a folder listing builds) are absolute and clean already: no URL work.
        if isCleanAbsolute(path) { return path }
        let url = path.hasPrefix("/")
            ? URL(fileURLWithPath: path)
            : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(path)
        return url.standardizedFileURL.path
    }
}

/// Why a file cannot be queued. Each message names the file and says what to do.
public enum ImageFileError: Error, Equatable, CustomStringConvertible {
    case missing(String)
    case unreadable(String)
    case directory(String)
    case notRegular(String)
    case symlinkLoop(String)
    case empty(String)
    case tooLarge(String, size: Int64, limit: Int64)
    case notAnImage(String)
    case truncated(String, ImageFile.Format)
    case changedWhileReading(String)
    /// Named as text where the file's name is not UTF-8: its real path, stray bytes escaped (`\xFF`).
    case nameNotUTF8(String)

    public var description: String {
        switch self {
        case .missing(let path): return "\(path) does not exist; check the path."
        case .unreadable(let path): return "\(path) cannot be read; check its permissions."
        case .directory(let path): return "\(path) is a directory; name the image files inside it."
        case .notRegular(let path): return "\(path) is not a regular file; name an image file."
        case .symlinkLoop(let path): return "\(path) is a symbolic link that loops; point it at an image file."
        case .empty(let path): return "\(path) is empty; name a PNG, JPEG or GIF image."
        case .tooLarge(let path, let size, let limit):
            return "\(path) is \(size) bytes, over the \(limit)-byte limit; shrink it or raise --max-size."
        case .notAnImage(let path): return "\(path) is not a PNG, JPEG or GIF image by its content; convert it first."
        case .truncated(let path, let format):
            return "\(path) looks like a truncated \(format.rawValue.uppercased()) file; export it again."
        case .changedWhileReading(let path): return "\(path) changed while it was being read; try again."
        case .nameNotUTF8(let shown):
            return "\(shown) has a name that is not valid UTF-8, which the queue cannot keep; rename it to a UTF-8 name and try again."
        }
    }
}
