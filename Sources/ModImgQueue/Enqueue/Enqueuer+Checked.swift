import Foundation
import SQLiteStore

/// The steps of `upload`, `reorder` and `remove`, in the order the commands take them: the
/// arguments are checked on this machine first (`inspect…`), then the command asks the portal
/// whether the mod exists (unless `--offline`), then it plans (`plan…`, for `--dry-run`, which
/// writes nothing) or queues (`enqueue…`).
extension Enqueuer {
    /// What an `upload` would queue, and the files it would leave out, with why.
    public struct UploadPlan: Sendable {
        public var toQueue: [ImageFile] = []
        public var skipped: [(path: String, reason: String)] = []
    }

    /// The mod name and every image of an `upload`: one bad file throws, naming it.
    public static func inspectUploads(mod: String, paths: [String], maxBytes: Int64 = ImageFile.defaultMaxBytes) throws
        -> [ImageFile]
    {
        guard Identifiers.isValidModName(mod) else { throw QueueError.invalidModName(mod) }
        guard !paths.isEmpty else { throw QueueError.noImages }
        return try paths.map { path throws(ImageFileError) in try ImageFile.inspect(path: path, maxBytes: maxBytes) }
    }

    /// What `enqueueUploads(mod:files:)` would do now, writing nothing.
    public func planUploads(mod: String, files: [ImageFile]) async throws -> UploadPlan {
        try await database.read { db in
            var known = try KnownImages.load(db, mod: mod)
            return Self.sortUploads(files, mod: mod, known: &known)
        }
    }

    /// Files to queue, and those already uploaded or queued for `mod` (by SHA1), or named twice.
    static func sortUploads(_ files: [ImageFile], mod: String, known: inout KnownImages) -> UploadPlan {
        var plan = UploadPlan()
        for file in files {
            if known.uploaded.contains(file.sha1) {
                plan.skipped.append((file.path, "already uploaded to \(mod) (SHA1 \(file.sha1))"))
            } else if let job = known.pending[file.sha1] {
                plan.skipped.append((file.path, job > 0 ? "already queued for \(mod) as job \(job)" : "the same image as another file named"))
            } else {
                // Not a job yet: 0 stands for "this command's own".
                known.pending[file.sha1] = 0
                plan.toQueue.append(file)
            }
        }
        return plan
    }

    /// The mod name and every image of a `reorder`, each an id or a file standing for its SHA1;
    /// an image named twice is refused.
    public static func inspectReorder(mod: String, images items: [String], maxBytes: Int64 = ImageFile.defaultMaxBytes) throws
        -> [ReorderPlan.Image]
    {
        guard Identifiers.isValidModName(mod) else { throw QueueError.invalidModName(mod) }
        guard !items.isEmpty else { throw QueueError.noImages }
        var seen = Set<String>()
        return try items.map { item in
            let id = try imageID(of: item, maxBytes: maxBytes)
            guard seen.insert(id).inserted else { throw QueueError.repeatedImage(id) }
            return ReorderPlan.Image(id: id, file: Identifiers.normalizedImageID(item) == nil ? item : nil)
        }
    }

    /// The reorder's plan against the queue as it is now, writing nothing. `listing`: the mod's
    /// gallery as the portal lists it, or nil (`--offline`) to go by this queue's history alone.
    public func planReorder(mod: String, images: [ReorderPlan.Image], listing: [String]?, unlisted: ReorderPlan.Unlisted)
        async throws -> ReorderPlan
    {
        try await database.read { db in try Self.planReorder(db, mod: mod, images: images, listing: listing, unlisted: unlisted) }
    }

    /// Plans the reorder and queues it in one write transaction; a reorder that would take
    /// images out unasked throws `ReorderRefusal` and queues nothing.
    public func enqueueReorder(mod: String, images: [ReorderPlan.Image], listing: [String]?, unlisted: ReorderPlan.Unlisted)
        async throws -> (plan: ReorderPlan, job: Int64)
    {
        let time = now()
        return try await database.write { db in
            let plan = try Self.planReorder(db, mod: mod, images: images, listing: listing, unlisted: unlisted)
            if let refusal = plan.refusal { throw refusal }
            var inserter = JobInserter(db: db, now: time)
            let id = try inserter.insert(
                kind: .reorder, mod: mod, file: nil, imageIDs: images.map(\.id), keepUnlisted: unlisted == .keep,
                dependsOn: plan.dependencies)
            try inserter.finish()
            return (plan, id)
        }
    }

    static func planReorder(
        _ db: Connection, mod: String, images: [ReorderPlan.Image], listing: [String]?, unlisted: ReorderPlan.Unlisted
    ) throws -> ReorderPlan {
        let known = try KnownImages.load(db, mod: mod)
        var gallery = try GalleryLog.model(db, mod: mod).expected(listing: listing ?? [])
        var inGallery = Set(gallery)
        for (sha1, _) in known.pendingInJobOrder where inGallery.insert(sha1).inserted {
            gallery.append(sha1)
        }
        let named = images.map { ReorderPlan.Image(id: $0.id, file: $0.file ?? known.files[$0.id]) }
        return ReorderPlan(
            mod: mod, listed: named, unlisted: unlisted,
            before: gallery.map { ReorderPlan.Image(id: $0, file: known.files[$0]) }, listingRead: listing != nil,
            dependencies: Set(images.compactMap { known.pending[$0.id] }).sorted())
    }

    /// The mod name and every image of a `remove`: their ids, each once, in the order given.
    public static func inspectRemoval(mod: String, images items: [String], maxBytes: Int64 = ImageFile.defaultMaxBytes) throws
        -> [String]
    {
        guard Identifiers.isValidModName(mod) else { throw QueueError.invalidModName(mod) }
        guard !items.isEmpty else { throw QueueError.noImages }
        var ids: [String] = []
        var seen: Set<String> = []
        for item in items {
            let id = try imageID(of: item, maxBytes: maxBytes)
            if seen.insert(id).inserted { ids.append(id) }
        }
        return ids
    }
}
