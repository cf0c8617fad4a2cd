import Foundation
import ModPortal

/// Carries an upload job through `add` and the upload, with the spent-URL recovery.
struct UploadRunner {
    let session: ClaimSession
    var context: WorkerContext { session.context }

    func run(_ upload: Job.Upload) async throws {
        let queued: QueuedFile
        // Reads and hashes the whole file: off the database's thread, in parallel with other slots.
        let opened = await OffDatabase.run { () -> Result<QueuedFile, JobFailure> in
            let opened = QueuedFile.open(upload)
            context.checkpoint(.afterFileChecked, session.job)
            return opened
        }
        switch opened {
        case .success(let file): queued = file
        case .failure(let failure):
            try await session.fail(failure)
            return
        }
        if session.claim.addAhead {
            try await addAhead(upload)
            return
        }
        if upload.uploadSent,
            try await foundInGalleryAlready(upload, reason: "an earlier attempt's upload is in the mod's gallery; not sent again")
        {
            return
        }
        var uploadURL = upload.uploadURL
        if session.job.state == .queued || uploadURL == nil {
            guard let url = try await add(then: .afterAddCommitted) else { return }
            uploadURL = url
        }
        guard let uploadURL else { return }
        try await session.beforeRequest(.upload)
        let image: PortalImage
        do {
            image = try await context.portal.upload(
                ImageUpload(
                    file: queued.file, size: upload.size, sha1: upload.sha1, fileName: (upload.path as NSString).lastPathComponent,
                    contentType: queued.contentType),
                to: uploadURL)
        } catch .fileChangedWhileSending(let readSHA1, let bytesRead) {
            // Not retried: the file holds other bytes than the queued ones, as at any later start.
            try await session.fail(
                JobFailure(
                    .fileChanged,
                    "\(upload.path) was rewritten while it was being sent (SHA1 \(upload.sha1) queued, \(readSHA1) in the \(bytesRead) "
                        + "bytes read); the upload was cut off before its end, so the portal stored nothing; queue the file again"))
            return
        } catch .uploadURLNotValid(let status, let message) {
            try await recoverSpentUploadURL(upload, detail: "HTTP \(status) \(message)")
            return
        } catch let error where error.saysAlreadyExists {
            try await confirmAlreadyThere(upload, answer: error)
            return
        } catch {
            try await session.handle(error, during: .upload)
            return
        }
        guard image.id.lowercased() == upload.sha1 else {
            try await session.fail(
                JobFailure(
                    .idMismatch,
                    "the portal stored the image as \(image.id) but the file's SHA1 is \(upload.sha1); check the file and the portal"))
            return
        }
        try await session.write {
            try await context.store.recordUploaded($0, image: image, reason: "upload succeeded: \(image.id)", now: context.clock.now())
        }
        context.tally.add(done: 1)
        context.emit(.uploaded(job: session.job.id, mod: session.job.mod, file: upload.path, imageID: image.id))
    }

    /// Claimed while the mod's previous upload is in flight: makes this job's `add` now (its
    /// `upload_url` committed before anything else, as always) and gives the job back, so that
    /// its upload waits for its turn, after the previous one, in queue order.
    private func addAhead(_ upload: Job.Upload) async throws {
        if session.job.state == .queued, upload.uploadURL == nil {
            guard try await add(then: .afterAddAheadCommitted) != nil else { return }
        }
        try await session.write {
            try await context.store.release(
                $0, reason: "added ahead while the mod's previous upload is in flight; uploads in its turn", now: context.clock.now())
        }
        context.emit(.released(job: session.job.id, mod: session.job.mod))
    }

    /// Makes the job's `add` and commits its `upload_url` (then passes `checkpoint`); nil when
    /// the call failed, which has then been handled like any failed call.
    private func add(then checkpoint: WorkerCheckpoint) async throws -> URL? {
        try await session.beforeRequest(.add)
        let url: URL
        do {
            url = try await context.portal.add(mod: session.job.mod)
        } catch {
            try await session.handle(error, during: .add)
            return nil
        }
        try await session.advance { try await context.store.recordAdded($0, uploadURL: url, now: context.clock.now()) }
        try await context.keyAccepted()
        context.emit(.added(job: session.job.id, mod: session.job.mod))
        context.checkpoint(checkpoint, session.job)
        return url
    }

    /// An earlier run sent this image (its answer lost, or the job failed or was retried since):
    /// before anything is sent again, look for it in the mod's listing, and, as the listing may
    /// lag behind the portal's writes, once more after `listingLagSeconds`. Returns whether the
    /// job's run ended here (found, or the listing read failed and was handled).
    private func foundInGalleryAlready(_ upload: Job.Upload, reason: String) async throws -> Bool {
        for look in 0..<2 {
            if look > 0 { await context.clock.sleep(seconds: context.configuration.listingLagSeconds) }
            let outcome = try await lookInGallery(upload, reason: reason)
            if outcome != .notThere { return true }
        }
        return false
    }

    /// The portal refused the upload, saying the image already exists. It counts as uploaded
    /// when the mod's listing shows the file's SHA1 (looked at across the listing lag) or when
    /// the refusal itself names that SHA1; otherwise it is the failure it says it is.
    private func confirmAlreadyThere(_ upload: Job.Upload, answer: PortalError) async throws {
        if try await foundInGalleryAlready(
            upload, reason: "the portal answered that the image already exists, and the mod's gallery shows it")
        {
            return
        }
        guard answer.message.lowercased().contains(upload.sha1) else {
            try await session.handle(answer, during: .upload)
            return
        }
        let image = PortalImage(id: upload.sha1, url: "", thumbnail: "")
        try await session.write {
            try await context.store.recordUploaded(
                $0, image: image, reason: "the portal answered that the image already exists, naming the file's SHA1 \(upload.sha1)",
                now: context.clock.now())
        }
        context.tally.add(done: 1)
        context.emit(.alreadyInGallery(job: session.job.id, mod: session.job.mod, file: upload.path, imageID: upload.sha1))
    }

    /// The portal refused the stored `upload_url`. An earlier attempt may have landed with
    /// its answer lost, so look in the mod's gallery before uploading again.
    private func recoverSpentUploadURL(_ upload: Job.Upload, detail: String) async throws {
        let outcome = try await lookInGallery(
            upload, reason: "upload_url was spent (\(detail)); the image is already in the mod's gallery")
        guard outcome == .notThere else { return }
        guard upload.readdCount < context.configuration.maxReadds else {
            try await session.fail(
                JobFailure(.uploadURLNotValid, "the portal refused \(upload.readdCount + 1) upload URLs in a row (\(detail))"))
            return
        }
        let reason = "upload_url no longer valid (\(detail)); image not in the gallery; will add again"
        try await session.write { try await context.store.restartUpload($0, reason: reason, now: context.clock.now()) }
        context.emit(.goingBackToAdd(job: session.job.id, mod: session.job.mod, reason: reason))
    }

    private enum Look { case found, notThere, readFailed }

    /// One read of the mod's listing: if the image is there, the job is recorded done with
    /// `reason`; a failed read is handled like any failed call.
    private func lookInGallery(_ upload: Job.Upload, reason: String) async throws -> Look {
        try await session.beforeRequest(.gallery)
        let gallery: [PortalImage]
        do {
            gallery = try await context.portal.gallery(mod: session.job.mod)
        } catch {
            try await session.handle(error, during: .gallery)
            return .readFailed
        }
        guard let found = gallery.first(where: { $0.id == upload.sha1 }) else { return .notThere }
        try await session.write {
            try await context.store.recordFoundInGallery($0, image: found, reason: reason, now: context.clock.now())
        }
        context.tally.add(done: 1)
        context.emit(.alreadyInGallery(job: session.job.id, mod: session.job.mod, file: upload.path, imageID: found.id))
        return .found
    }
}
