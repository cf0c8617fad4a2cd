/// The gallery this queue expects one mod to have: a fold, in order, of every change it made
/// (`gallery_log`), read together with the portal's listing as evidence of what else is there.
///
/// The rule every edit and every view follows:
/// - an image this queue uploaded (or found there) stays, unless an edit it made took it out;
/// - an image an edit of this queue took out stays out, unless it is uploaded again;
/// - an image only the listing shows (put there some other way) stays where the listing has it;
/// - after an edit, the order is the one that edit set, with later uploads at the end.
/// A listing that lags behind the portal's writes therefore never drops an upload nor brings
/// back a removed image: for every image the queue itself changed, the queue's log decides.
public struct GalleryModel: Sendable, Equatable {
    /// One change this queue made to the gallery, as the portal confirmed it.
    public enum Change: Sendable, Equatable {
        case uploaded(String)
        /// The gallery an `edit` set, and images it took out that the model did not know
        /// (shown only by the listing the edit was built from).
        case edited(gallery: [String], removed: [String])
    }

    public let mod: String
    /// The images this queue expects, in order.
    public private(set) var images: [String] = []
    /// The same images, to look one up at once (a log of thousands of uploads folds in linear time).
    private var members: Set<String> = []
    /// Images an edit of this queue took out, not uploaded again since.
    public private(set) var removed: Set<String> = []
    /// Whether an edit of this queue set the order (else it is the listing's, then the uploads').
    public private(set) var orderSet = false

    public init(mod: String, changes: [Change] = []) {
        self.mod = mod
        for change in changes { apply(change) }
    }

    public mutating func apply(_ change: Change) {
        switch change {
        case .uploaded(let id):
            let id = id.lowercased()
            removed.remove(id)
            if members.insert(id).inserted { images.append(id) }
        case .edited(let gallery, let removedIDs):
            let gallery = Self.unique(gallery.map { $0.lowercased() })
            let kept = Set(gallery)
            removed.formUnion(images.filter { !kept.contains($0) })
            removed.formUnion(removedIDs.map { $0.lowercased() })
            removed.subtract(kept)
            images = gallery
            members = kept
            orderSet = true
        }
    }

    /// Whether `id` is one of the images this queue expects.
    public func contains(_ id: String) -> Bool { members.contains(id) }

    /// Whether `id` is an image this queue put there or took out.
    public func knows(_ id: String) -> Bool {
        members.contains(id) || removed.contains(id)
    }

    /// Whether `listing` disagrees with the model about an image the queue changed: one it
    /// expects is missing, or one it took out is shown (the listing may lag).
    public func disagrees(with listing: [String]) -> Bool {
        let shown = Set(listing.map { $0.lowercased() })
        return images.contains { !shown.contains($0) } || shown.contains { removed.contains($0) }
    }

    /// The gallery as it should be, given what the portal lists: after an edit of this queue,
    /// its order with the images only the listing shows after them; before any, the listing's
    /// order with the uploads it does not show yet at the end. Never an image taken out.
    public func expected(listing: [String]) -> [String] {
        let listing = Self.unique(listing.map { $0.lowercased() }).filter { !removed.contains($0) }
        if orderSet {
            return images + listing.filter { !members.contains($0) }
        }
        let listed = Set(listing)
        return listing + images.filter { !listed.contains($0) }
    }

    static func unique(_ ids: [String]) -> [String] {
        var seen: Set<String> = []
        return ids.filter { seen.insert($0).inserted }
    }
}
