import Foundation

extension Enqueuer {
    /// One `reorder` job that keeps the mod's gallery as the portal lists it just before the
    /// `edit`, in its order, minus these images. Each item is an image id (any case) or an image
    /// file standing for its SHA1. Every item is checked before anything is written; naming an
    /// image twice removes it once. Jobs of a mod run in queue order, so an upload queued before
    /// the removal lands first and is removed with the others.
    public func enqueueRemoval(mod: String, images items: [String], maxBytes: Int64 = ImageFile.defaultMaxBytes) async throws
        -> Int64
    {
        try await enqueueRemoval(mod: mod, ids: try Self.inspectRemoval(mod: mod, images: items, maxBytes: maxBytes))
    }

    /// As `enqueueRemoval(mod:images:)`, for ids already checked (`inspectRemoval`).
    public func enqueueRemoval(mod: String, ids: [String]) async throws -> Int64 {
        let time = now()
        return try await database.write { [ids] db in
            var inserter = JobInserter(db: db, now: time)
            let id = try inserter.insert(kind: .reorder, mod: mod, file: nil, imageIDs: [], keepUnlisted: true, excluding: ids)
            try inserter.finish()
            return id
        }
    }

    /// An image id as given (in lower case), or the SHA1 of the image file the item names.
    static func imageID(of item: String, maxBytes: Int64) throws -> String {
        if let id = Identifiers.normalizedImageID(item) { return id }
        guard FileManager.default.fileExists(atPath: item) else { throw QueueError.invalidImageID(item) }
        return try ImageFile.inspect(path: item, maxBytes: maxBytes).sha1
    }
}
