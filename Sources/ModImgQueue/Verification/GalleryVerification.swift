/// An image the queue uploaded for a mod, as the upload history (`images`) records it.
public struct UploadedImage: Sendable, Equatable {
    public let id: String
    public let uploadedAt: Double

    public init(id: String, uploadedAt: Double) {
        self.id = id
        self.uploadedAt = uploadedAt
    }
}

/// The newest reorder of a mod that is done: the order it set, and whether it kept the
/// gallery's other images after the listed ones or removed them.
public struct DoneReorder: Sendable, Equatable {
    public let imageIDs: [String]
    public let keepUnlisted: Bool
    public let finishedAt: Double

    public init(imageIDs: [String], keepUnlisted: Bool, finishedAt: Double) {
        self.imageIDs = imageIDs
        self.keepUnlisted = keepUnlisted
        self.finishedAt = finishedAt
    }
}

/// What this database knows of one mod's gallery: every image it uploaded (the history, which
/// `prune` keeps) and the newest done reorder still in the queue (which `prune` removes).
public struct LocalGallery: Sendable, Equatable {
    public let mod: String
    public let uploaded: [UploadedImage]
    public let lastReorder: DoneReorder?

    public init(mod: String, uploaded: [UploadedImage], lastReorder: DoneReorder?) {
        self.mod = mod
        self.uploaded = uploaded
        self.lastReorder = lastReorder
    }
}

/// How a mod's live gallery differs from what the queue did to it.
public struct GalleryDrift: Sendable, Equatable {
    public let mod: String
    /// Images the queue put there (uploaded, or named by the last reorder) that the portal no
    /// longer shows, in the reorder's order, then the history's.
    public var missingOnPortal: [String] = []
    /// Images the portal shows that the queue neither uploaded nor named in the last reorder,
    /// in gallery order.
    public var unknownToHistory: [String] = []
    /// Images the portal shows more than once.
    public var duplicatedOnPortal: [String] = []
    /// The gallery is not in the order the last reorder set: its listed images out of order or
    /// not first, an image it removed is back, or an image is shown twice.
    public var orderDiffers = false

    public init(mod: String) {
        self.mod = mod
    }

    public var inSync: Bool { missingOnPortal.isEmpty && unknownToHistory.isEmpty && !orderDiffers }
}

/// Compares a mod's live gallery with what this database did to it. Pure: no I/O.
public enum GalleryComparison {
    public static func compare(portal: [String], local: LocalGallery) -> GalleryDrift {
        var drift = GalleryDrift(mod: local.mod)
        var onPortal: Set<String> = []
        var shown: [String] = []
        for id in portal.map({ $0.lowercased() }) {
            if onPortal.insert(id).inserted {
                shown.append(id)
            } else if !drift.duplicatedOnPortal.contains(id) {
                drift.duplicatedOnPortal.append(id)
            }
        }
        let listed = unique(local.lastReorder?.imageIDs.map { $0.lowercased() } ?? [])
        let listedSet = Set(listed)
        let uploaded = local.uploaded.map { UploadedImage(id: $0.id.lowercased(), uploadedAt: $0.uploadedAt) }
        let known = listedSet.union(uploaded.map(\.id))

        // What should be there: the reorder's images, then every uploaded image it did not remove
        // (all of them when it kept the others, or when there was no reorder; otherwise those
        // uploaded after it finished).
        let removed = removedByReorder(local.lastReorder, listed: listedSet, uploaded: uploaded)
        let expected = unique(listed + uploaded.map(\.id).filter { !removed.contains($0) })
        drift.missingOnPortal = expected.filter { !onPortal.contains($0) }
        drift.unknownToHistory = shown.filter { !known.contains($0) }
        drift.orderDiffers =
            !drift.duplicatedOnPortal.isEmpty
            || orderBroken(shown: shown, listed: listed, listedSet: listedSet, onPortal: onPortal)
            || shown.contains { removed.contains($0) }
        return drift
    }

    /// Uploaded images a pruning reorder removed on purpose: uploaded before it finished, not listed.
    private static func removedByReorder(_ reorder: DoneReorder?, listed: Set<String>, uploaded: [UploadedImage])
        -> Set<String>
    {
        guard let reorder, !reorder.keepUnlisted else { return [] }
        let before = uploaded.filter { $0.uploadedAt <= reorder.finishedAt && !listed.contains($0.id) }.map(\.id)
        // An image uploaded again after the reorder is wanted again.
        let after = Set(uploaded.filter { $0.uploadedAt > reorder.finishedAt }.map(\.id))
        return Set(before).subtracting(after)
    }

    /// Whether the listed images still shown are out of their order, or not ahead of the others.
    private static func orderBroken(shown: [String], listed: [String], listedSet: Set<String>, onPortal: Set<String>)
        -> Bool
    {
        guard !listed.isEmpty else { return false }
        let shownListed = shown.filter { listedSet.contains($0) }
        if shownListed != listed.filter({ onPortal.contains($0) }) { return true }
        guard let firstOther = shown.firstIndex(where: { !listedSet.contains($0) }),
            let lastListed = shown.lastIndex(where: { listedSet.contains($0) })
        else { return false }
        return firstOther < lastListed
    }

    private static func unique(_ ids: [String]) -> [String] {
        var seen: Set<String> = []
        return ids.filter { seen.insert($0).inserted }
    }
}
