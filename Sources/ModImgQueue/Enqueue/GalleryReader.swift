import ModPortal

/// What reading the public listings of some mods found.
public struct GalleryListings: Sendable, Equatable {
    /// Each readable mod's gallery ids, in gallery order, lower-case.
    public var galleries: [String: [String]] = [:]
    /// Mods the portal says do not exist (its own JSON 404), in the order they were asked for.
    public var unknownMods: [String] = []
    /// Mods whose listing could not be read after a few tries (5xx, HTML pages, timeouts), in
    /// the order they were asked for, and what the last try of each answered.
    public var unreadable: [String] = []
    public var unreadableReasons: [String: String] = [:]

    public init() {}

    /// The specs whose gallery was read, and the mods whose listing could not be: those are not
    /// planned at all, since this database's history cannot stand in for their gallery (on a new
    /// database it is empty, and every image the gallery already holds would be uploaded again).
    public func readable(_ specs: [GallerySpec]) -> (readable: [GallerySpec], unreadable: [String]) {
        let unreadable = Set(self.unreadable)
        return (specs.filter { !unreadable.contains($0.mod) }, specs.map(\.mod).filter { unreadable.contains($0) })
    }
}

/// Reads mods' current galleries from the public listing, a few at a time, for `enqueue`.
/// A transient failure (5xx, an HTML page, a timeout) is retried a little, then the mod is
/// reported unreadable (and `enqueue` queues nothing for it); a refused connection or an unknown
/// host ends the whole read at once with `GalleryListingError.portalUnreachable`.
public enum GalleryReader {
    /// The longest wait between two tries of one listing, whatever `Retry-After` says.
    static let longestWait: Double = 10

    public static func read(
        mods: [String], portal: any PortalClient, portalURL: String, clock: any WorkerClock = SystemClock(),
        concurrency: Int = 8, maxAttempts: Int = 3, progress: (_ read: Int, _ of: Int) -> Void = { _, _ in }
    ) async throws(GalleryListingError) -> GalleryListings {
        let outcomes = await withTaskGroup(of: (String, ListingOutcome).self) { group in
            var pending = mods[...]
            var outcomes: [String: ListingOutcome] = [:]
            for _ in 0..<max(1, concurrency) {
                guard let mod = pending.popFirst() else { break }
                group.addTask { (mod, await readOne(mod, portal: portal, clock: clock, maxAttempts: maxAttempts)) }
            }
            for await (mod, outcome) in group {
                outcomes[mod] = outcome
                progress(outcomes.count, mods.count)
                if case .unreachable = outcome {
                    group.cancelAll()
                    break
                }
                if let next = pending.popFirst() {
                    group.addTask { (next, await readOne(next, portal: portal, clock: clock, maxAttempts: maxAttempts)) }
                }
            }
            return outcomes
        }
        var listings = GalleryListings()
        for mod in mods {
            switch outcomes[mod] {
            case .gallery(let ids): listings.galleries[mod] = ids
            case .unknownMod: listings.unknownMods.append(mod)
            case .unreadable(let reason):
                listings.unreadable.append(mod)
                listings.unreadableReasons[mod] = reason
            case nil: listings.unreadable.append(mod)
            case .unreachable(let detail): throw .portalUnreachable(url: portalURL, detail: detail, offline: true)
            }
        }
        return listings
    }

    /// One mod's gallery ids, in order, for a command about that one mod: a mod the portal does
    /// not know is refused (`unknownMods`), as is a listing that stays unreadable.
    public static func gallery(
        of mod: String, portal: any PortalClient, portalURL: String, clock: any WorkerClock = SystemClock(), maxAttempts: Int = 3
    ) async throws(GalleryListingError) -> [String] {
        let listings = try await read(mods: [mod], portal: portal, portalURL: portalURL, clock: clock, maxAttempts: maxAttempts)
        guard listings.unknownMods.isEmpty else { throw .unknownMods([mod]) }
        guard let ids = listings.galleries[mod] else {
            throw .listingUnreadable(mod: mod, reason: listings.unreadableReasons[mod] ?? "not read")
        }
        return ids
    }

    enum ListingOutcome: Sendable, Equatable {
        case gallery([String])
        case unknownMod
        case unreachable(String)
        case unreadable(String)
    }

    /// The mod's gallery ids in order, retrying transient failures (honouring a short `Retry-After`).
    static func readOne(_ mod: String, portal: any PortalClient, clock: any WorkerClock, maxAttempts: Int) async
        -> ListingOutcome
    {
        for attempt in 1...max(1, maxAttempts) {
            do {
                return .gallery(try await portal.gallery(mod: mod).map { $0.id.lowercased() })
            } catch {
                if case .unreachable(let detail) = error { return .unreachable(detail) }
                if error.apiCode == .unknownMod { return .unknownMod }
                guard FailureDisposition.of(error) == .retry, attempt < maxAttempts, !Task.isCancelled else {
                    return .unreadable(error.message)
                }
                await clock.sleep(seconds: min(error.retryAfter ?? Double(attempt), longestWait))
            }
        }
        return .unreadable("not read")
    }
}
