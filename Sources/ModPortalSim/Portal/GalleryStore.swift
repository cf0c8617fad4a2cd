/// Every mod's gallery, the ids ever uploaded to it, and how often each id was uploaded; with a
/// listing lag, also each gallery's past versions, so `/full` can answer as a cache would.
struct GalleryStore: Sendable {
    private(set) var galleries: [String: [String]] = [:]
    /// Ids ever uploaded (or seeded) per mod; `edit` may use any of them and never shrinks this set.
    private(set) var knownIDs: [String: Set<String>] = [:]
    private(set) var uploadsPerImage: [String: [String: Int]] = [:]
    /// Seconds the listing lags behind writes (0: no past versions are kept).
    let listingLagSeconds: Double
    /// Per mod, its gallery after each upload or edit, oldest first (only with a listing lag).
    private var versions: [String: [Version]] = [:]

    private struct Version: Sendable {
        /// When it became the gallery; nil for a seeded gallery, which every listing shows.
        let at: ContinuousClock.Instant?
        let ids: [String]
    }

    /// The lag as a duration (`listingLagSeconds` is at most a day, so this cannot trap).
    private var lag: Duration { .milliseconds(Int64(listingLagSeconds * 1000)) }

    init(listingLagSeconds: Double = 0) {
        // At most a day, so the lag always makes a Duration.
        self.listingLagSeconds = listingLagSeconds.isFinite ? min(max(0, listingLagSeconds), 86_400) : 0
    }

    func gallery(of mod: String) -> [String] {
        galleries[mod] ?? []
    }

    /// The gallery `/full` shows at `now`: as it was `listingLagSeconds` ago. `stale` says
    /// whether that differs from the gallery as it is.
    func listing(of mod: String, now: ContinuousClock.Instant) -> (ids: [String], stale: Bool) {
        let current = gallery(of: mod)
        guard listingLagSeconds > 0, let history = versions[mod] else { return (current, false) }
        let horizon = now - lag
        let shown = history.last { version in version.at.map { $0 <= horizon } ?? true }?.ids ?? []
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
        guard listingLagSeconds > 0 else { return }
        var history = versions[mod] ?? []
        if let at {
            let horizon = at - lag
            // The newest version at or before the horizon is the oldest any later listing shows.
            if let keep = history.lastIndex(where: { version in version.at.map { $0 <= horizon } ?? true }), keep > 0 {
                history.removeFirst(keep)
            }
        } else {
            history.removeAll { $0.at == nil }
        }
        history.append(Version(at: at, ids: gallery(of: mod)))
        versions[mod] = history
    }
}
