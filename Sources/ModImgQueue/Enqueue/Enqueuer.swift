import Foundation
import SQLiteStore

/// Adds jobs to the queue. Everything is checked before anything is written, and each
/// command's jobs are written in one transaction: all of them or none.
public struct Enqueuer {
    let database: QueueDatabase
    let now: @Sendable () -> Double

    public init(database: QueueDatabase, now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.database = database
        self.now = now
    }

    /// What an `upload` command did: the jobs it queued and the files it left out, with why.
    public struct UploadResult: Sendable, Equatable {
        public var queued: [Int64] = []
        public var skipped: [(path: String, reason: String)] = []

        public static func == (a: UploadResult, b: UploadResult) -> Bool {
            a.queued == b.queued && a.skipped.map(\.path) == b.skipped.map(\.path)
                && a.skipped.map(\.reason) == b.skipped.map(\.reason)
        }
    }

    /// One `upload` job per image, in the order given, except for images already queued
    /// or uploaded for this mod (by SHA1), which are reported instead.
    public func enqueueUploads(mod: String, paths: [String], maxBytes: Int64 = ImageFile.defaultMaxBytes) async throws
        -> UploadResult
    {
        try await enqueueUploads(mod: mod, files: try Self.inspectUploads(mod: mod, paths: paths, maxBytes: maxBytes))
    }

    /// As `enqueueUploads(mod:paths:)`, for files already inspected.
    public func enqueueUploads(mod: String, files: [ImageFile]) async throws -> UploadResult {
        try await enqueueUploads(mod: mod, files: files, thenOrder: nil).uploads
    }

    /// As `enqueueUploads(mod:files:)`, and, when `order` is given, a reorder setting the gallery
    /// to it (waiting for the uploads it names), in the same transaction: all the jobs or none.
    func enqueueUploads(mod: String, files: [ImageFile], thenOrder order: [String]?) async throws
        -> (uploads: UploadResult, reorder: Int64?)
    {
        let time = now()
        return try await database.write { db in
            var known = try KnownImages.load(db, mod: mod)
            let plan = Self.sortUploads(files, mod: mod, known: &known)
            var inserter = JobInserter(db: db, now: time)
            var result = UploadResult(skipped: plan.skipped)
            for file in plan.toQueue {
                let job = try inserter.insert(kind: .upload, mod: mod, file: file, imageIDs: nil)
                result.queued.append(job)
                known.pending[file.sha1] = job  // was 0, "this command's own"
            }
            var reorder: Int64?
            if let order {
                reorder = try inserter.insert(
                    kind: .reorder, mod: mod, file: nil, imageIDs: order, dependsOn: Set(order.compactMap { known.pending[$0] }).sorted())
            }
            try inserter.finish()
            return (result, reorder)
        }
    }

    /// One `reorder` job setting the gallery to exactly these images, in this order. Each item
    /// is an image id, or an image file standing for its SHA1; a file still waiting to be
    /// uploaded for this mod makes the reorder wait for that upload.
    public func enqueueReorder(mod: String, images items: [String], maxBytes: Int64 = ImageFile.defaultMaxBytes) async throws
        -> Int64
    {
        guard Identifiers.isValidModName(mod) else { throw QueueError.invalidModName(mod) }
        guard !items.isEmpty else { throw QueueError.noImages }
        let ids = try items.map { item in try Self.imageID(of: item, maxBytes: maxBytes) }
        var seen = Set<String>()
        if let repeated = ids.first(where: { !seen.insert($0).inserted }) { throw QueueError.repeatedImage(repeated) }
        let time = now()
        return try await database.write { db in
            let pending = try KnownImages.load(db, mod: mod).pending
            var inserter = JobInserter(db: db, now: time)
            let id = try inserter.insert(
                kind: .reorder, mod: mod, file: nil, imageIDs: ids,
                dependsOn: Set(ids.compactMap { pending[$0] }).sorted())
            try inserter.finish()
            return id
        }
    }
}
