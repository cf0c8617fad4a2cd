import Foundation

extension QueueQueries {
    /// The bytes of the file an upload job names, for the dashboard to show: only for an upload
    /// job that is queued, added, failed (it may be retried) or done, read with the worker's own
    /// open (never through a symbolic link, only a regular file, still of the recorded size and
    /// SHA1). Nil for anything else: an unknown job, a reorder, a cancelled upload, a file that
    /// is gone or changed.
    public func imageBytes(ofJob jobID: Int64) async throws -> Data? {
        guard let (opened, upload) = try await openImage(ofJob: jobID) else { return nil }
        var data = Data()
        while data.count < upload.size {
            let chunk = try opened.file.read(at: Int64(data.count), upTo: Int(min(Int64(1 << 20), upload.size - Int64(data.count))))
            if chunk.isEmpty { return nil }
            data.append(chunk)
        }
        return data
    }

    /// Whether `imageBytes(ofJob:)` would find the file as it was queued, without reading it
    /// a second time after the open has checked it.
    public func imageIsReadable(ofJob jobID: Int64) async throws -> Bool {
        try await openImage(ofJob: jobID) != nil
    }

    /// The job's file opened as the worker opens it (size and SHA1 checked), or nil.
    private func openImage(ofJob jobID: Int64) async throws -> (QueuedFile, Job.Upload)? {
        let job: Job
        do {
            job = try await self.job(id: jobID)
        } catch QueueError.unknownJob {
            return nil
        }
        guard job.state != .cancelled, let upload = job.upload, case .success(let opened) = QueuedFile.open(upload) else {
            return nil
        }
        return (opened, upload)
    }
}

extension QueueDatabase {
    /// SQLite's `PRAGMA data_version` on this connection: it changes whenever another
    /// connection (another process, or another `QueueDatabase` in this one) commits a change.
    public func dataVersion() async throws -> Int {
        try await read { db in try db.row("PRAGMA data_version")?.int("data_version") ?? 0 }
    }
}
