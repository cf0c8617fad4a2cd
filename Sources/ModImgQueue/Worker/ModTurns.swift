import Synchronization

/// The uploads this worker's slots are sending, at most one per mod (the claim rules allow no
/// more), so that the slot that made the mod's next job's `add` ahead can wait for that upload
/// to end, then keep its claim for the job's own upload instead of giving the job back and
/// claiming it again (two commits, and the file read and hashed again, per job).
final class ModTurns: Sendable {
    private struct Upload {
        let job: Int64
        var waiters: [Int: CheckedContinuation<Bool, Never>] = [:]
    }

    private struct State {
        var sending: [String: Upload] = [:]
        /// How the last upload of each mod that this worker sent ended: its job, and whether done.
        var ended: [String: (job: Int64, done: Bool)] = [:]
        var nextWaiter = 0
    }

    private let state = Mutex(State())

    /// `job`, an upload of `mod`, is on its way to its upload under this worker's claim.
    func begin(mod: String, job: Int64) {
        state.withLock { $0.sending[mod] = Upload(job: job) }
    }

    /// `job`'s run ended: `done` if it ended with the job done (uploaded, or found in the gallery).
    func end(mod: String, job: Int64, done: Bool) {
        let waiters = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
            guard let upload = state.sending[mod], upload.job == job else { return [] }
            state.sending[mod] = nil
            state.ended[mod] = (job, done)
            return Array(upload.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: done) }
    }

    /// Waits until the upload of `mod` this worker is sending, if any (and older than `job`),
    /// ends: true if it ended done, false if not (or the wait was cancelled); nil if this worker
    /// sends none for the mod now (another process may, or it ended already).
    func waitForUpload(of mod: String, before job: Int64) async -> Bool? {
        let awaited = state.withLock { state -> (waiter: Int, job: Int64)? in
            guard let upload = state.sending[mod], upload.job < job else { return nil }
            state.nextWaiter += 1
            return (state.nextWaiter, upload.job)
        }
        guard let awaited else { return nil }
        let id = awaited.waiter
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let endedAlready = state.withLock { state -> Bool? in
                    if Task.isCancelled { return false }
                    guard state.sending[mod]?.job == awaited.job else {
                        // It ended between the look above and now.
                        return state.ended[mod].map { $0.job == awaited.job && $0.done } ?? false
                    }
                    state.sending[mod]?.waiters[id] = continuation
                    return nil
                }
                if let endedAlready { continuation.resume(returning: endedAlready) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.sending[mod]?.waiters.removeValue(forKey: id) }
            waiter?.resume(returning: false)
        }
    }
}

/// What a store offers so that a job claimed to make its `add` ahead may keep its claim for its
/// own upload once the mod's upload before it has ended: `UploadRunner` asks it before going on,
/// and gives the job back, as before, when the store cannot tell.
public protocol ModHeadReading: Sendable {
    /// Whether the claimed job is now its mod's oldest open job (so its upload keeps queue order),
    /// still carrying the claim's token under a live lease at `now`. A read: nothing is written.
    func isModHead(_ claim: Claim, now: Double) async throws -> Bool
}
