import ModPortal

/// Reads mods' current galleries from the public listing, a few at a time, for `enqueue`.
/// A mod whose listing cannot be read is left out; the plan then relies on this database.
public enum GalleryReader {
    public static func read(
        mods: [String], portal: any PortalClient, clock: any WorkerClock = SystemClock(), concurrency: Int = 8,
        maxAttempts: Int = 3
    ) async -> [String: [String]] {
        await withTaskGroup(of: (String, [String]?).self) { group in
            var pending = mods[...]
            var galleries: [String: [String]] = [:]
            for _ in 0..<max(1, concurrency) {
                guard let mod = pending.popFirst() else { break }
                group.addTask { (mod, await readOne(mod, portal: portal, clock: clock, maxAttempts: maxAttempts)) }
            }
            for await (mod, gallery) in group {
                if let gallery { galleries[mod] = gallery }
                if let next = pending.popFirst() {
                    group.addTask { (next, await readOne(next, portal: portal, clock: clock, maxAttempts: maxAttempts)) }
                }
            }
            return galleries
        }
    }

    /// The mod's gallery ids in order, retrying transient failures (honouring `Retry-After`).
    static func readOne(_ mod: String, portal: any PortalClient, clock: any WorkerClock, maxAttempts: Int) async
        -> [String]?
    {
        for attempt in 1...max(1, maxAttempts) {
            do {
                return try await portal.gallery(mod: mod).map { $0.id.lowercased() }
            } catch {
                guard FailureDisposition.of(error) == .retry, attempt < maxAttempts else { return nil }
                await clock.sleep(seconds: error.retryAfter ?? Double(attempt))
            }
        }
        return nil
    }
}
