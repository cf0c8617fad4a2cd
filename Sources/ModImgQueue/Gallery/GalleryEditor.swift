import Foundation

/// Edits of one mod's gallery as a page makes them — a new order, an image taken out, files
/// dropped at a position, an edit taken back — each turned into jobs in the queue, through
/// the same calls and checks as `reorder`, `remove`, `upload` and `cancel`. Nothing is sent to
/// the portal here: the worker applies the jobs.
public struct GalleryEditor: Sendable {
    public let database: QueueDatabase
    let now: @Sendable () -> Double

    public init(database: QueueDatabase, now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.database = database
        self.now = now
    }

    public enum EditError: Error, Equatable, CustomStringConvertible {
        /// The order names an image the gallery as the queue will leave it does not hold.
        case notInGallery(String)
        /// The order leaves out images of the gallery, which a new order does not drop (remove does).
        case leavesOut([String])
        /// The order names an image twice.
        case twice(String)

        public var description: String {
            switch self {
            case .notInGallery(let id):
                "image \(id.prefix(12)) is not in the gallery as the queue will leave it: reload the page and arrange it again."
            case .leavesOut(let ids):
                "the new order leaves out \(ids.map { String($0.prefix(12)) }.joined(separator: ", ")): take images out with remove, not by leaving them out of the order."
            case .twice(let id): "image \(id.prefix(12)) is named twice in the new order: reload the page and arrange it again."
            }
        }
    }

    /// Queues one reorder that sets the gallery to `order`: every image the gallery will hold
    /// (as `GalleryPreview` shows it), each once. Returns the job.
    public func saveOrder(mod: String, order: [String]) async throws -> Int64 {
        let shown = try await QueueQueries(database: database).gallery(mod: mod).staying
        let order = order.map { $0.lowercased() }
        let shownSet = Set(shown)
        var seen = Set<String>()
        for id in order {
            guard shownSet.contains(id) else { throw EditError.notInGallery(id) }
            guard seen.insert(id).inserted else { throw EditError.twice(id) }
        }
        let left = shown.filter { !seen.contains($0) }
        guard left.isEmpty else { throw EditError.leavesOut(left) }
        return try await Enqueuer(database: database, now: now).enqueueReorder(mod: mod, images: order)
    }

    /// Queues the removal of `id` from the gallery (the others keep their order). Returns the job.
    public func remove(mod: String, id: String) async throws -> Int64 {
        try await Enqueuer(database: database, now: now).enqueueRemoval(mod: mod, ids: [id.lowercased()])
    }

    /// What dropping files did: the upload jobs queued, the reorder that puts them in place
    /// (nil when they simply go at the end), and each file not queued with its reason.
    public struct Added: Sendable, Equatable {
        public let uploads: [Int64]
        public let reorder: Int64?
        public let refused: [(name: String, reason: String)]

        public static func == (a: Added, b: Added) -> Bool {
            a.uploads == b.uploads && a.reorder == b.reorder && a.refused.map(\.name) == b.refused.map(\.name)
                && a.refused.map(\.reason) == b.refused.map(\.reason)
        }
    }

    /// Stores `files` (name and bytes, as a browser sends them) in the queue's folder of dropped
    /// files, checked as `upload` checks a file; queues an upload for each image the gallery
    /// does not hold yet, and a reorder putting them at `position` (0-based; nil or the end: no
    /// reorder).
    public func add(mod: String, files: [(name: String, data: Data)], at position: Int?) async throws -> Added {
        let store = DroppedFiles(database: database)
        let shown = try await QueueQueries(database: database).gallery(mod: mod).staying
        let shownSet = Set(shown)
        var accepted: [ImageFile] = []
        var refused: [(name: String, reason: String)] = []
        for file in files {
            switch store.keep(file.data, named: file.name) {
            case .refused(let problem):
                refused.append((file.name, problem))
            case .kept(let image):
                if shownSet.contains(image.sha1) || accepted.contains(where: { $0.sha1 == image.sha1 }) {
                    refused.append((file.name, "the gallery already holds these bytes (\(image.sha1.prefix(12)))"))
                } else {
                    accepted.append(image)
                }
            }
        }
        guard !accepted.isEmpty else { return Added(uploads: [], reorder: nil, refused: refused) }
        var order: [String]?
        if let position, position < shown.count {
            order = shown
            order?.insert(contentsOf: accepted.map(\.sha1), at: max(0, position))
        }
        // The uploads and the reorder placing them in one transaction: all of them or none.
        let queued = try await Enqueuer(database: database, now: now).enqueueUploads(mod: mod, files: accepted, thenOrder: order)
        return Added(uploads: queued.uploads.queued, reorder: queued.reorder, refused: refused)
    }

    /// Takes back an edit that has not run: cancels its job, as `cancel` does (a job a worker
    /// holds, or an upload already sent, is refused with the reason).
    public func takeBack(job: Int64, by requester: QueueMaintenance.Requester = .commandLine) async throws -> QueueMaintenance.Outcome {
        try await QueueMaintenance(database: database).cancel(.jobs([job]), by: requester)
    }
}
