import Crypto
import Foundation
import ModPortal

/// The file an upload job queued, opened once for its run: not through a symbolic link, without
/// blocking (a FIFO swapped in cannot hang the worker), and only if it is still a regular file
/// of the recorded size and SHA1. The upload streams from this very descriptor, so the bytes
/// sent come from the file hashed, whatever the path names by then; and it hashes them again as
/// it streams, holding the last bytes back until they match, so the same file rewritten in place
/// meanwhile is cut off, not sent (`PortalError.fileChangedWhileSending`).
struct QueuedFile {
    let file: OpenFile
    let contentType: String

    /// The SHA1 of the bytes `upload` sends (what a portal stores them under).
    static func sha1(of upload: ImageUpload) -> String? {
        guard let hashed = try? sha1(of: upload.file, size: upload.size), hashed.bytes == upload.size else { return nil }
        return hashed.hex
    }

    /// The SHA1 of the first `size` bytes of `file` (fewer if it is shorter), and its first bytes.
    private static func sha1(of file: OpenFile, size: Int64) throws -> (hex: String, bytes: Int64, head: Data) {
        var hasher = Insecure.SHA1()
        var offset: Int64 = 0
        var head = Data()
        while offset < size {
            let chunk = try file.read(at: offset, upTo: Int(min(Int64(1 << 20), size - offset)))
            if chunk.isEmpty { break }
            if head.isEmpty { head = chunk.prefix(16) }
            hasher.update(data: chunk)
            offset += Int64(chunk.count)
        }
        return (Hex.string(hasher.finalize()), offset, head)
    }

    static func open(_ upload: Job.Upload) -> Result<QueuedFile, JobFailure> {
        let path = upload.path
        let descriptor = Foundation.open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let reason = errno
            switch reason {
            case ELOOP:
                return .failure(JobFailure(.fileChanged, "\(path) is now a symbolic link; nothing was sent; queue the image file itself again"))
            case ENOENT, ENOTDIR:
                return .failure(JobFailure(.fileUnreadable, "\(path) no longer exists; restore it and retry the job"))
            default:
                return .failure(
                    JobFailure(.fileUnreadable, "\(path) can no longer be read (\(String(cString: strerror(reason)))); restore it and retry the job"))
            }
        }
        let file = OpenFile(descriptor: descriptor)
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            return .failure(JobFailure(.fileChanged, "\(path) is no longer a regular file; nothing was sent; put the image back and retry the job"))
        }
        guard Int64(info.st_size) == upload.size else {
            return .failure(
                JobFailure(.fileChanged, "\(path) changed since it was queued (\(upload.size) bytes then, \(info.st_size) now); queue it again"))
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        let hashed: (hex: String, bytes: Int64, head: Data)
        do {
            hashed = try sha1(of: file, size: upload.size)
        } catch {
            return .failure(JobFailure(.fileUnreadable, "\(path) can no longer be read (\(error)); restore it and retry the job"))
        }
        guard hashed.bytes == upload.size, hashed.hex == upload.sha1 else {
            return .failure(
                JobFailure(.fileChanged, "\(path) changed since it was queued (SHA1 \(upload.sha1) then, \(hashed.hex) now); queue it again"))
        }
        return .success(
            QueuedFile(file: file, contentType: ImageFile.detectFormat(hashed.head)?.contentType ?? "application/octet-stream"))
    }
}
