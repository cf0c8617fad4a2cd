/// What `enqueue` will do (or, with `--dry-run`, would do) for each mod.
public struct ModPlan: Sendable {
    public enum Reorder: Sendable, Equatable {
        /// A new reorder job, after the uploads it depends on.
        case queue
        /// An identical reorder job is already waiting.
        case alreadyQueued(job: Int64)
        /// The gallery already is in the wanted order.
        case notNeeded
    }

    public let mod: String
    public let prune: Bool
    /// Images to upload, in gallery order.
    public var toUpload: [ImageFile] = []
    /// Images already in the gallery or uploaded before, with where that is known from.
    public var alreadyThere: [(file: ImageFile, source: String)] = []
    /// Images already queued by an earlier command: the new reorder waits for those jobs too.
    public var alreadyQueued: [(file: ImageFile, job: Int64)] = []
    /// The listed images' ids, in order.
    public var listedOrder: [String] = []
    /// The gallery as the public listing showed it, if it could be read.
    public var currentGallery: [String]?
    /// The gallery after the reorder: listed ids, then (without prune) the others already there.
    public var finalOrder: [String] {
        let listed = Set(listedOrder)
        return listedOrder + (prune ? [] : (currentGallery ?? []).filter { !listed.contains($0) })
    }
    /// Gallery images the reorder removes (with prune).
    public var toPrune: [String] {
        guard prune else { return [] }
        let listed = Set(listedOrder)
        return (currentGallery ?? []).filter { !listed.contains($0) }
    }
    public var reorder: Reorder = .queue
    /// Files of the mod's folder (or manifest) not queued, with why: not images, or duplicates.
    public var leftOut: [LeftOutFile] = []
    /// The local file this database's history records for an image id (an upload it queued).
    public var knownFiles: [String: String] = [:]

    /// The file each image of the plan comes from: this plan's own, else the one the history
    /// knows. Name an image with `ImageNaming.shown(id:file:)`.
    public var imageFiles: [String: String] {
        var files = knownFiles
        for file in toUpload + alreadyThere.map(\.file) + alreadyQueued.map(\.file) { files[file.sha1] = file.path }
        return files
    }

    /// Requests this plan will send to the portal: `add` and upload per image, and the
    /// reorder's `edit` (plus a listing read first when it keeps unlisted images).
    public var requestCount: Int {
        toUpload.count * 2 + (reorder == .queue ? (prune ? 1 : 2) : 0)
    }
}

public struct EnqueuePlan: Sendable {
    public var mods: [ModPlan]
    /// Mods whose public listing could not be read: only this database's history was used.
    public var unreachableGalleries: [String]
    /// What of the folder is left out outside any mod: mod folders with no images, stray files.
    public var leftOut: [LeftOutFile] = []
    public var requestCount: Int { mods.map(\.requestCount).reduce(0, +) }
}

/// What `enqueue` wrote.
public struct EnqueueOutcome: Sendable, Equatable {
    public var uploadJobs: [Int64] = []
    public var reorderJobs: [Int64] = []
}
