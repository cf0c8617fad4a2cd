import Foundation
import ModPortal

/// Carries a reorder job through its `edit` (after a listing read when it keeps unlisted images),
/// leaving out the images it excludes (`remove`).
struct ReorderRunner {
    let session: ClaimSession
    var context: WorkerContext { session.context }

    func run(_ reorder: Job.Reorder) async throws {
        let jobID = session.job.id
        let dependencies = try await context.retryingBusy { try await context.store.dependencies(ofJob: jobID) }
        if let broken = dependencies.first(where: { $0.state == .failed || $0.state == .cancelled }) {
            try await session.fail(
                JobFailure(.dependencyFailed, "dependency failed: upload job \(broken.job) is \(broken.state.rawValue)"))
            return
        }
        var wanted = reorder.imageIDs
        if reorder.keepUnlisted {
            try await session.beforeRequest(.gallery)
            do {
                // Each id once, even if the listing shows one twice (an image stored twice).
                var seen = Set(wanted)
                wanted += try await context.portal.gallery(mod: session.job.mod).map(\.id)
                    .filter { seen.insert($0).inserted }
            } catch {
                try await session.handle(error, during: .gallery)
                return
            }
        }
        if !reorder.excludedIDs.isEmpty {
            let excluded = Set(reorder.excludedIDs)
            wanted.removeAll { excluded.contains($0) }
        }
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
        try await session.write { try await context.store.recordReordered($0, now: context.clock.now()) }
        context.tally.add(done: 1)
        context.emit(.reordered(job: jobID, mod: session.job.mod, images: images.count))
    }
}
