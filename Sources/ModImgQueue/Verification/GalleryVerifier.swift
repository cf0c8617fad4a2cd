import ModPortal

/// `verify`: reads each mod's live listing, one at a time, each read charged to the shared
/// request budget like the worker's requests, and compares it with this database.
/// A listing that fails for a transient reason is read again with the worker's backoff.
public struct GalleryVerifier: Sendable {
    let database: QueueDatabase
    let portal: any PortalClient
    let portalURL: String
    let budget: SQLiteRequestBudget
    let clock: any WorkerClock
    let policy: RetryPolicy
    let unitRandom: @Sendable () -> Double
    /// How far the listing may lag behind the portal's writes: a gallery that differs from the
    /// model is read once more after this long, and only the second read counts.
    let listingLagSeconds: Double

    public init(
        database: QueueDatabase, portal: any PortalClient, portalURL: String, rate: Rate,
        clock: any WorkerClock = SystemClock(), policy: RetryPolicy = .verify, listingLagSeconds: Double = 0,
        unitRandom: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.listingLagSeconds = listingLagSeconds.isFinite ? min(max(0, listingLagSeconds), 600) : 0
        self.database = database
        self.portal = portal
        self.portalURL = portalURL
        self.budget = SQLiteRequestBudget(database: database, limit: CellRateLimit(rate: rate))
        self.clock = clock
        self.policy = policy
        self.unitRandom = unitRandom
    }

    /// The mods `verify` checks by default: every mod whose gallery this queue changed.
    public func modsInHistory() async throws -> [String] {
        try await database.read { db in try LocalGalleryQueries.modsInHistory(db) }
    }

    /// Each mod's result, in the order given: its drift, or that the portal has no such mod, or
    /// that its listing stayed unreadable after the retry policy's attempts (429, 5xx, transport
    /// failures and the portal's `InternalError` are retried with the worker's backoff; a
    /// `Retry-After` holds every request on this database back, as the worker's do). One mod's
    /// failure leaves the others' answers standing. Throws only when the portal cannot be reached
    /// at all (`GalleryListingError.portalUnreachable`), an invalid mod name, or the database.
    /// `progress` hears of every mod done; `waiting` of every wait for the budget over a second;
    /// `retrying` of every retry (mod, what failed, the attempt that failed, the delay).
    public func verify(
        mods: [String], progress: (_ read: Int, _ of: Int) -> Void = { _, _ in },
        waiting: @Sendable (_ seconds: Double) -> Void = { _ in },
        retrying: (_ retry: ListingRetry) -> Void = { _ in }
    ) async throws -> [ModVerification] {
        for mod in mods where !Identifiers.isValidModName(mod) { throw QueueError.invalidModName(mod) }
        var seen: Set<String> = []
        let mods = mods.filter { seen.insert($0).inserted }
        let models = try await database.read { db in try mods.map { try LocalGalleryQueries.gallery(db, mod: $0) } }
        var results: [ModVerification] = []
        for model in models {
            var result = try await check(model, waiting: waiting, retrying: retrying)
            if let drift = result.drift, !drift.inSync, listingLagSeconds > 0 {
                // The listing may lag behind the last writes: what counts is a second look.
                await clock.sleep(seconds: listingLagSeconds)
                let second = try await check(model, waiting: waiting, retrying: retrying)
                if second.drift != nil { result = ModVerification(mod: model.mod, outcome: second.outcome, retries: result.retries + second.retries) }
            }
            if let drift = result.drift, !drift.inSync {
                let ids = drift.missingOnPortal + drift.unknownToHistory + drift.duplicatedOnPortal
                result.files = try await database.read { db in try LocalGalleryQueries.files(db, mod: model.mod, ids: ids) }
                result.repair = DriftRepair.of(drift, model: model)
            }
            results.append(result)
            progress(results.count, mods.count)
        }
        return results
    }

    /// One read of the mod's listing (retried as the policy says) against its model.
    private func check(
        _ model: GalleryModel, waiting: @Sendable (Double) -> Void, retrying: (ListingRetry) -> Void
    ) async throws -> ModVerification {
        var failures = 0
        while true {
            try await charge(waiting: waiting)
            do {
                let listing = try await portal.gallery(mod: model.mod).map(\.id)
                return ModVerification(
                    mod: model.mod, outcome: .compared(GalleryComparison.compare(portal: listing, model: model)), retries: failures)
            } catch {
                if case .unreachable(let detail) = error {
                    throw GalleryListingError.portalUnreachable(url: portalURL, detail: detail, offline: false)
                }
                if error.apiCode == .unknownMod { return ModVerification(mod: model.mod, outcome: .unknownMod, retries: failures) }
                failures += 1
                let now = clock.now()
                let retryAfter = error.retryAfter.flatMap { $0.isNaN ? nil : min(max($0, 0), PortalPause.maximumSeconds) }
                guard FailureDisposition.of(error) == .retry,
                    let delay = policy.delay(afterAttempt: failures, retryAfter: retryAfter, unitRandom: unitRandom())
                else {
                    let reason = PortalText.sanitized(error.description)
                    return ModVerification(mod: model.mod, outcome: .unreadable(reason: reason, attempts: failures), retries: failures - 1)
                }
                retrying(ListingRetry(mod: model.mod, reason: PortalText.sanitized(error.description), attempt: failures, delay: delay))
                if let retryAfter {
                    // Held back for every request on this database, as the worker does.
                    try await budget.pause(until: now + retryAfter, now: now)
                }
                await clock.sleep(seconds: delay)
            }
        }
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

/// One listing read `verify` is about to try again.
public struct ListingRetry: Sendable, Equatable {
    public let mod: String
    /// What the failed read answered, made safe for a terminal.
    public let reason: String
    /// Which try failed (1-based).
    public let attempt: Int
    /// Seconds until the next try (the budget may hold it back longer).
    public let delay: Double
}

extension RetryPolicy {
    /// `verify`'s default: the worker's first delay (2 s, doubled per try), at most a minute
    /// apart, six tries: about two minutes of patience for one listing before it is reported
    /// unreadable.
    public static let verify = RetryPolicy(baseDelay: 2, maxDelay: 60, maxAttempts: 6)
}
