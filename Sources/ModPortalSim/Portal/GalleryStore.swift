/// Every mod's gallery, the ids ever uploaded to it, and how often each id was uploaded; with a
/// listing lag, also each gallery's past versions, so `/full` can answer as a cache would.
struct GalleryStore: Sendable {
    private(set) var galleries: [String: [String]] = [:]
    /// Ids ever uploaded (or seeded) per mod; `edit` may use any of them and never shrinks this set.
    private(set) var knownIDs: [String: Set<String>] = [:]
    private(set) var uploadsPerImage: [String: [String: Int]] = [:]
    /// Seconds the listing lags behind writes (0: no lag in time).
    let listingLagSeconds: Double
    /// Reads of a mod's listing after a write that still show the gallery before it (0: none).
    /// Counted, not timed, so a test's lag does not depend on how fast the machine runs it.
    let listingLagReads: Int
    /// Per mod, its gallery after each upload or edit, oldest first (only with a listing lag).
    private var versions: [String: [Version]] = [:]

    private struct Version: Sendable {
        /// When it became the gallery; nil for a seeded gallery, which every listing shows.
        let at: ContinuousClock.Instant?
        let ids: [String]
        /// Listings of the mod read since this version was written.
        var reads = 0
    }

    private var lags: Bool { listingLagSeconds > 0 || listingLagReads > 0 }

    /// The lag as a duration (`listingLagSeconds` is at most a day, so this cannot trap).
    private var lag: Duration { .milliseconds(Int64(listingLagSeconds * 1000)) }

    init(listingLagSeconds: Double = 0, listingLagReads: Int = 0) {
        // At most a day, so the lag always makes a Duration.
        self.listingLagSeconds = listingLagSeconds.isFinite ? min(max(0, listingLagSeconds), 86_400) : 0
        self.listingLagReads = min(max(0, listingLagReads), 1_000_000)
    }

    func gallery(of mod: String) -> [String] {
        galleries[mod] ?? []
    }

    /// Whether a listing read at `now` may show `version`: it is older than the time lag and
    /// has been passed by as many reads as the read lag asks.
    private func visible(_ version: Version, now: ContinuousClock.Instant) -> Bool {
        guard let at = version.at else { return true }
        return at <= now - lag && version.reads >= listingLagReads
    }

    /// The gallery `/full` shows at `now`: the newest version the lag lets through. `stale` says
    /// whether that differs from the gallery as it is. A read counts towards the read lag.
    mutating func listing(of mod: String, now: ContinuousClock.Instant) -> (ids: [String], stale: Bool) {
        let current = gallery(of: mod)
        guard lags, var history = versions[mod] else { return (current, false) }
        let shownIndex = history.lastIndex { visible($0, now: now) }
        let shown = shownIndex.map { history[$0].ids } ?? []
        // The newest visible version is the oldest any later listing shows.
        if let shownIndex, shownIndex > 0 { history.removeFirst(shownIndex) }
        for index in history.indices { history[index].reads += 1 }
        versions[mod] = history
        return (shown, shown != current)
    }

    /// Appends `id` to the mod's gallery unless it is already there, and remembers it as known.
    /// `at` nil seeds it: every listing shows it at once.
    mutating func add(_ id: String, to mod: String, countingUpload: Bool, at: ContinuousClock.Instant?) {
        knownIDs[mod, default: []].insert(id)
        if !galleries[mod, default: []].contains(id) {
            galleries[mod, default: []].append(id)
            remember(mod, at: at)
        }
        if countingUpload {
            uploadsPerImage[mod, default: [:]][id, default: 0] += 1
        }
    }

    /// The first id of `ids` never uploaded to `mod`, if any.
    func firstUnknownID(in ids: [String], of mod: String) -> String? {
        let known = knownIDs[mod] ?? []
        return ids.first { !known.contains($0) }
    }

    mutating func setGallery(_ ids: [String], of mod: String, at: ContinuousClock.Instant) {
        galleries[mod] = ids
        remember(mod, at: at)
    }

    /// Keeps the mod's gallery as it is now, dropping the versions no listing can show any more.
    private mutating func remember(_ mod: String, at: ContinuousClock.Instant?) {
        guard lags else { return }
        var history = versions[mod] ?? []
        if let at {
            if let keep = history.lastIndex(where: { visible($0, now: at) }), keep > 0 {
                history.removeFirst(keep)
            }
        } else {
            history.removeAll { $0.at == nil }
        }
        history.append(Version(at: at, ids: gallery(of: mod)))
        versions[mod] = history
    }
}
