/// Why the portal's listings stop a command before it plans or compares anything.
public enum GalleryListingError: Error, Equatable, CustomStringConvertible {
    /// The portal answered its own "not found" for these mods.
    case unknownMods([String])
    /// No connection to the portal at all (refused, or the host name does not resolve).
    /// `offline` says whether the command can do without the portal (`enqueue --offline`).
    case portalUnreachable(url: String, detail: String, offline: Bool)
    /// The mod's listing stayed unreadable (5xx, an HTML page, a timeout) after a few tries.
    case listingUnreadable(mod: String, reason: String)
    /// `enqueue` could not read these mods' listings, so it queued nothing for them (the other
    /// mods were planned as usual): with `reasons` by mod.
    case notPlannedUnreadable(mods: [String], reasons: [String: String])

    public var description: String {
        switch self {
        case .unknownMods(let mods):
            let names = mods.joined(separator: ", ")
            return mods.count == 1
                ? "the portal has no mod named \(names); check the name (the images API cannot create a mod: publish it on the portal first)."
                : "the portal has no mods named \(names); check the names (the images API cannot create a mod: publish each on the portal first)."
        case .portalUnreachable(let url, let detail, let offline):
            let instead = offline ? ", or pass --offline to plan from this database's history" : ""
            return "cannot reach the portal at \(url) (\(detail)); check --portal-url or MODIMG_PORTAL_URL\(instead)."
        case .listingUnreadable(let mod, let reason):
            return "the gallery of \(mod) could not be read (\(reason)); try again later."
        case .notPlannedUnreadable(let mods, let reasons):
            let named = mods.map { mod in reasons[mod].map { "\(mod) (\($0))" } ?? mod }.joined(separator: ", ")
            let them = mods.count == 1 ? "it" : "them"
            return "could not read the gallery of \(named), so nothing was queued for \(them) (this database's history cannot "
                + "tell which images the portal already holds); run enqueue again when the portal answers, or pass --offline "
                + "to plan from the history."
        }
    }
}
