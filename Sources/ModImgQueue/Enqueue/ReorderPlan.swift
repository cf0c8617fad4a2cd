/// What a `reorder` would do to a mod's gallery: the gallery it leaves, and every image it
/// takes out, checked before anything is queued.
///
/// The gallery before the reorder is the one the gallery model expects (`GalleryModel`: the
/// portal's listing read against this queue's own changes, or with `--offline` this queue's
/// history alone), then the uploads of this mod still waiting in the queue, which run first.
public struct ReorderPlan: Sendable, Equatable {
    /// What becomes of the gallery's images the reorder does not name.
    public enum Unlisted: Sendable, Equatable {
        /// Refuse the reorder if there are any (the default: nothing leaves the gallery unasked).
        case refuse
        /// Take them out of the gallery (`--prune`).
        case prune
        /// Keep them after the named ones, as the portal lists them just before the edit (`--keep-rest`).
        case keep
    }

    /// An image named by its id, and the local file it came from, if known.
    public struct Image: Sendable, Equatable {
        public let id: String
        public let file: String?

        public init(id: String, file: String?) {
            self.id = id
            self.file = file
        }
    }

    public let mod: String
    /// The named images, in the order given.
    public let listed: [Image]
    public let unlisted: Unlisted
    /// The gallery as it will stand just before the reorder runs, in order.
    public let before: [Image]
    /// Whether `before` was built with the portal's listing (else from this queue's history alone).
    public let listingRead: Bool
    /// Upload jobs of named images still waiting: the reorder runs after them.
    public let dependencies: [Int64]

    /// The gallery's images the reorder does not name, in gallery order.
    public var notNamed: [Image] {
        let named = Set(listed.map(\.id))
        return before.filter { !named.contains($0.id) }
    }

    /// Images the reorder takes out of the gallery (none when they are kept).
    public var leaving: [Image] { unlisted == .keep ? [] : notNamed }

    /// The gallery after the reorder, in order.
    public var after: [Image] { unlisted == .keep ? listed + notNamed : listed }

    /// Why this reorder must not be queued as asked, or nil.
    public var refusal: ReorderRefusal? {
        guard unlisted == .refuse, !notNamed.isEmpty else { return nil }
        return ReorderRefusal(mod: mod, leaving: notNamed.map(\.shown))
    }
}

extension ReorderPlan.Image {
    /// Its file name and short id, or the short id alone.
    public var shown: String { ImageNaming.shown(id: id, file: file) }
}

/// A reorder that would take images out of the gallery without `--prune` or `--keep-rest`.
public struct ReorderRefusal: Error, Equatable, CustomStringConvertible {
    public let mod: String
    /// The images that would leave, as shown to the user.
    public let leaving: [String]

    public var description: String {
        let count = leaving.count == 1 ? "1 image" : "\(leaving.count) images"
        return "this reorder would take \(count) out of the gallery of \(mod) (\(leaving.joined(separator: ", "))); "
            + "name \(leaving.count == 1 ? "it" : "them") too, pass --prune to take \(leaving.count == 1 ? "it" : "them") out, "
            + "or --keep-rest to keep \(leaving.count == 1 ? "it" : "them") after the images named."
    }
}
