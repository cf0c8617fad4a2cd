import Foundation
import ModPortal

/// The file of an upload job, opened for the dashboard to stream: the descriptor the worker's own
/// safe open returned, its size as checked, and its first bytes (to tell the image type).
public struct QueuedImageFile: Sendable {
    public let file: OpenFile
    public let size: Int64
    /// Up to the first 16 bytes.
    public let head: Data
}

extension QueueQueries {
    /// The file an upload job names, opened as the worker opens it (never through a symbolic
    /// link, only a regular file, still of the recorded size and SHA1), for a job that is queued,
    /// added, failed (it may be retried) or done. Nil for anything else: an unknown job, a
    /// reorder, a cancelled upload, a file that is gone or changed.
    public func imageFile(ofJob jobID: Int64) async throws -> QueuedImageFile? {
        let job: Job
        do {
            job = try await self.job(id: jobID)
        } catch QueueError.unknownJob {
            return nil
        }
        guard job.state != .cancelled, let upload = job.upload, case .success(let opened) = QueuedFile.open(upload) else {
            return nil
        }
        return QueuedImageFile(file: opened.file, size: upload.size, head: try opened.file.read(at: 0, upTo: 16))
    }

    /// Whether `imageFile(ofJob:)` would find the file as it was queued.
    public func imageIsReadable(ofJob jobID: Int64) async throws -> Bool {
        try await imageFile(ofJob: jobID) != nil
    }
}
