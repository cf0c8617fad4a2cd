import Foundation
import ModPortal

/// Carries a reorder job through its `edit` — when it keeps unlisted images, of the gallery the
/// `GalleryModel` expects, read against the listing — leaving out the images it excludes (`remove`).
struct ReorderRunner {
    let session: ClaimSession
    var context: WorkerContext { session.context }

    func run(_ reorder: Job.Reorder) async throws {
        let jobID = session.job.id
        let dependencies = try await context.retryingBusy { try await context.store.dependencies(ofJob: jobID) }
        if let broken = dependencies.first(where: { $0.state == .failed || $0.state == .cancelled }) {
            let what = broken.state == .cancelled ? "cancelled" : "failed"
            try await session.fail(
                JobFailure(.dependencyFailed, "dependency \(what): upload job \(broken.job) was \(what), so its image will not be there"))
            return
        }
        var wanted = reorder.imageIDs
        var listedOnly: [String] = []
        if reorder.keepUnlisted {
            guard let others = try await galleryToKeep() else { return }
            wanted = GalleryModel.unique(wanted + others.gallery)
            listedOnly = others.listedOnly
        }
        let excluded = Set(reorder.excludedIDs)
        wanted.removeAll { excluded.contains($0) }
        // What the model knew leaves it by the edit itself; these only the listing showed.
        let removed = listedOnly.filter { excluded.contains($0) }
        try await session.beforeRequest(.edit)
        let images: [PortalImage]
        do {
            images = try await context.portal.edit(mod: session.job.mod, imageIDs: wanted)
        } catch {
            try await session.handle(error, during: .edit)
            return
        }
        try await context.keyAccepted()
        let answered = images.map { $0.id.lowercased() }
        guard answered == wanted else {
            try await session.fail(
                JobFailure(
                    .galleryMismatch,
                    "edit answered the gallery \(answered.joined(separator: ",")) instead of the requested order"))
            return
        }
        try await session.write {
            try await context.store.recordReordered($0, gallery: wanted, removed: removed, now: context.clock.now())
        }
        context.tally.add(done: 1)
        context.emit(.reordered(job: jobID, mod: session.job.mod, images: images.count))
    }

    /// The gallery as this queue expects it (`GalleryModel`), with the listing as evidence of
    /// images put there some other way. A listing that disagrees with the model about an image
    /// the queue changed may lag: it is read once more after `listingLagSeconds`, and the
    /// model decides either way. `listedOnly`: images only the listing showed (the edit that
    /// leaves one out takes it out on purpose). Nil when a read failed (and was handled).
    private func galleryToKeep() async throws -> (gallery: [String], listedOnly: [String])? {
        let mod = session.job.mod
        let model = try await context.retryingBusy { try await context.store.galleryModel(mod: mod) }
        var listing: [String] = []
        for look in 0..<2 {
            if look > 0 { await context.clock.sleep(seconds: context.configuration.listingLagSeconds) }
            try await session.beforeRequest(.gallery)
            do {
                listing = try await context.portal.gallery(mod: mod).map { $0.id.lowercased() }
            } catch {
                try await session.handle(error, during: .gallery)
                return nil
            }
            if !model.disagrees(with: listing) { break }
        }
        return (model.expected(listing: listing), listing.filter { !model.knows($0) })
    }
}
