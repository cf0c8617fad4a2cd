import Foundation

/// What a run has done so far and what it is doing now, folded from the worker's events: the
/// one source of the progress line, the minute summaries and the end-of-run summary.
public struct RunProgress: Sendable, Equatable {
    public struct InFlight: Sendable, Equatable {
        public let mod: String
        /// The upload's file name, nil for a reorder.
        public let file: String?
    }

    public struct PendingRetry: Sendable, Equatable {
        public let mod: String
        public let at: Double
        public let code: String
    }

    public let startedAt: Double
    /// Open jobs and the requests they need, when the run started.
    public let planned: OpenWorkEstimate
    public private(set) var done = 0
    public private(set) var failed = 0
    public private(set) var requests = 0
    public private(set) var inFlight: [Int64: InFlight] = [:]
    public private(set) var retries: [Int64: PendingRetry] = [:]
    /// Mods with a job failed in this run, in the order they first failed.
    public private(set) var failedMods: [String] = []
    public struct Waiting: Sendable, Equatable {
        public let reason: WaitReason
        public let until: Double?
    }

    /// Why nothing runs, when the worker said so last.
    public private(set) var waiting: Waiting?
    public private(set) var finished = false
    /// The end of the last pause the portal asked this run for.
    public private(set) var portalPausedUntil: Double?

    public init(startedAt: Double, planned: OpenWorkEstimate) {
        self.startedAt = startedAt
        self.planned = planned
    }

    /// A run read back from the queue's log rather than watched (the dashboard): `done` and
    /// `failed` jobs already finished before the events still to `apply`.
    public init(startedAt: Double, planned: OpenWorkEstimate, done: Int, failed: Int) {
        self.init(startedAt: startedAt, planned: planned)
        self.done = done
        self.failed = failed
    }

    /// Jobs to count against: those open at the start, or more if more were queued since.
    public var total: Int { max(planned.jobs, done + failed + inFlight.count) }

    /// Jobs not finished yet: running, waiting, backing off or not started.
    public var remainingJobs: Int { max(0, total - done - failed) }

    /// When the latest requests were sent, oldest first: the pace the portal and the rate allow.
    public private(set) var recentRequests: [Double] = []
    /// How the latest attempts ended, oldest first: true for one that failed and will be retried.
    public private(set) var recentAttempts: [Bool] = []
    /// When the latest jobs finished (done or failed), oldest first, each with the seconds of
    /// portal pauses gone by then: the pace the run keeps, its pauses apart.
    public private(set) var recentFinishes: [Finish] = []

    public struct Finish: Sendable, Equatable {
        public let at: Double
        /// Seconds of portal pauses gone by at `at`.
        public let paused: Double
    }
    /// Seconds of every pause the portal asked for in this run, the part still to come included.
    public private(set) var pausedSeconds = 0.0

    /// Seconds of portal pauses gone by at `now`.
    public func pausedSeconds(at now: Double) -> Double {
        pausedSeconds - max(0, (portalPausedUntil ?? now) - now)
    }

    /// `now`: when the event happened.
    public mutating func apply(_ event: WorkerEvent, at now: Double) {
        switch event {
        case .requestSent:
            recentRequests.append(now)
            if recentRequests.count > RunETA.window { recentRequests.removeFirst(recentRequests.count - RunETA.window) }
        case .retryScheduled: noteAttempt(failed: true)
        case .uploaded, .alreadyInGallery, .reordered, .failed:
            noteAttempt(failed: false)
            noteFinished(1, at: now)
        case .modFailed(_, let jobs, _, _): noteFinished(jobs.count, at: now)
        case .portalPaused(let until): pausedSeconds += max(0, until - max(now, portalPausedUntil ?? now))
        default: break
        }
        switch event {
        case .claimed(let job, let mod, _, let file):
            inFlight[job] = InFlight(mod: mod, file: file.map { ($0 as NSString).lastPathComponent })
            retries[job] = nil
            waiting = nil
        case .requestSent:
            requests += 1
            waiting = nil
        case .uploaded(let job, _, _, _), .alreadyInGallery(let job, _, _, _), .reordered(let job, _, _):
            done += 1
            inFlight[job] = nil
        case .retryScheduled(let job, let mod, let failure, let at):
            retries[job] = PendingRetry(mod: mod, at: at, code: failure.code.rawValue)
            inFlight[job] = nil
        case .failed(let job, let mod, _, _):
            failed += 1
            inFlight[job] = nil
            noteFailed(mod)
        case .modFailed(let mod, let jobs, _, _):
            failed += jobs.count
            for job in jobs { retries[job] = nil }
            noteFailed(mod)
        case .claimLost(let job, _), .released(let job, _), .goingBackToAdd(let job, _, _):
            inFlight[job] = nil
        case .waiting(let reason, let until):
            waiting = Waiting(reason: reason, until: until)
        case .portalPaused(let until):
            portalPausedUntil = max(portalPausedUntil ?? until, until)
        case .finished:
            finished = true
            inFlight.removeAll()
        case .added, .deadClaimsReleased, .stopping, .idle:
            break
        }
    }

    /// The retry due first, if any.
    public var nextRetry: PendingRetry? { retries.values.min { $0.at < $1.at } }

    private mutating func noteFinished(_ count: Int, at now: Double) {
        let paused = pausedSeconds(at: now)
        recentFinishes.append(contentsOf: repeatElement(Finish(at: now, paused: paused), count: min(count, RunETA.window)))
        if recentFinishes.count > RunETA.window { recentFinishes.removeFirst(recentFinishes.count - RunETA.window) }
    }

    private mutating func noteAttempt(failed: Bool) {
        recentAttempts.append(failed)
        if recentAttempts.count > RunETA.attemptWindow { recentAttempts.removeFirst(recentAttempts.count - RunETA.attemptWindow) }
    }

    private mutating func noteFailed(_ mod: String) {
        if !failedMods.contains(mod) { failedMods.append(mod) }
    }
}
