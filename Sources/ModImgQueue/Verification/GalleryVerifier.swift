import ModPortal

/// `verify`: reads each mod's live listing, one at a time, each read charged to the shared
/// request budget like the worker's requests, and compares it with this database.
public struct GalleryVerifier: Sendable {
    let database: QueueDatabase
    let portal: any PortalClient
    let portalURL: String
    let budget: SQLiteRequestBudget
    let clock: any WorkerClock
    let maxAttempts: Int
    /// How far the listing may lag behind the portal's writes: a gallery that differs from the
    /// model is read once more after this long, and only the second read counts.
    let listingLagSeconds: Double

    public init(
        database: QueueDatabase, portal: any PortalClient, portalURL: String, rate: Rate,
        clock: any WorkerClock = SystemClock(), maxAttempts: Int = 3, listingLagSeconds: Double = 0
    ) {
        self.listingLagSeconds = listingLagSeconds.isFinite ? min(max(0, listingLagSeconds), 600) : 0
        self.database = database
        self.portal = portal
        self.portalURL = portalURL
        self.budget = SQLiteRequestBudget(database: database, limit: CellRateLimit(rate: rate))
        self.clock = clock
        self.maxAttempts = max(1, maxAttempts)
    }

    /// The mods `verify` checks by default: every mod whose gallery this queue changed.
    public func modsInHistory() async throws -> [String] {
        try await database.read { db in try LocalGalleryQueries.modsInHistory(db) }
    }

    /// Each mod's drift, in the order given. Throws `GalleryListingError` when a mod does not
    /// exist on the portal (naming every such mod), the portal cannot be reached, or a listing
    /// stays unreadable after a few tries. `progress` hears of every listing read; `waiting` of
    /// every wait for the budget over a second.
    public func verify(
        mods: [String], progress: (_ read: Int, _ of: Int) -> Void = { _, _ in },
        waiting: @Sendable (_ seconds: Double) -> Void = { _ in }
    ) async throws -> [GalleryDrift] {
        for mod in mods where !Identifiers.isValidModName(mod) { throw QueueError.invalidModName(mod) }
        var seen: Set<String> = []
        let mods = mods.filter { seen.insert($0).inserted }
        let models = try await database.read { db in try mods.map { try LocalGalleryQueries.gallery(db, mod: $0) } }
        var drifts: [GalleryDrift] = []
        var unknown: [String] = []
        for model in models {
            if var drift = try await compare(model, waiting: waiting) {
                if !drift.inSync, listingLagSeconds > 0 {
                    // The listing may lag behind the last writes: what counts is a second look.
                    await clock.sleep(seconds: listingLagSeconds)
                    drift = try await compare(model, waiting: waiting) ?? drift
                }
                drifts.append(drift)
            } else {
                unknown.append(model.mod)
            }
            progress(drifts.count + unknown.count, mods.count)
        }
        guard unknown.isEmpty else { throw GalleryListingError.unknownMods(unknown) }
        return drifts
    }

    /// One read of the mod's listing against its model; nil when the portal has no such mod.
    private func compare(_ model: GalleryModel, waiting: @Sendable (Double) -> Void) async throws -> GalleryDrift? {
        try await listing(of: model.mod, waiting: waiting).map { GalleryComparison.compare(portal: $0, model: model) }
    }

    /// The mod's gallery ids, or nil when the portal says it has no such mod.
    private func listing(of mod: String, waiting: @Sendable (Double) -> Void) async throws -> [String]? {
        for attempt in 1...maxAttempts {
            try await charge(waiting: waiting)
            do {
                return try await portal.gallery(mod: mod).map(\.id)
            } catch {
                if case .unreachable(let detail) = error {
                    throw GalleryListingError.portalUnreachable(url: portalURL, detail: detail, offline: false)
                }
                if error.apiCode == .unknownMod { return nil }
                guard FailureDisposition.of(error) == .retry, attempt < maxAttempts else {
                    throw GalleryListingError.listingUnreadable(mod: mod, reason: error.description)
                }
                if let retryAfter = error.retryAfter {
                    // Held back for every request on this database, as the worker does.
                    try await budget.pause(until: clock.now() + retryAfter, now: clock.now())
                } else {
                    await clock.sleep(seconds: Double(attempt))
                }
            }
        }
        return nil
    }

    /// Waits until the shared budget grants one request, and charges it.
    private func charge(waiting: @Sendable (Double) -> Void) async throws {
        while let until = try await budget.tryAcquire(now: clock.now()) {
            let wait = until - clock.now()
            if wait > 1 { waiting(wait) }
            await clock.sleep(seconds: max(wait, 0.001))
        }
    }
}
