import Foundation

/// How long a run still takes, told honestly: every job not finished (those backing off
/// included) still needs its requests, sent at the rate or at the pace the portal has kept,
/// whichever is slower; a pause the portal asked for comes first; and no run ends before its
/// last retry is due. Shown until nothing is left, with what it waits for.
public struct RunETA: Sendable, Equatable {
    /// Seconds until the queue is expected to be empty.
    public let seconds: Double
    /// What the run waits for before anything can move, if it waits.
    public let waitingFor: Wait?

    public init(seconds: Double, waitingFor: Wait?) {
        self.seconds = seconds
        self.waitingFor = waitingFor
    }

    public enum Wait: Sendable, Equatable {
        /// The portal asked for a pause until then.
        case portalPause(until: Double)
        /// Every job left is backing off; the first retry is due then.
        case retry(mod: String, at: Double)
    }

    /// How many of the latest requests measure the pace: the median of their gaps smooths one
    /// slow answer away, and a pause or an idle wait between two of them does not count as pace.
    static let window = 15
    /// How many of the latest attempts measure how often one fails: enough not to follow one
    /// failure, few enough that a storm that is over soon stops counting.
    static let attemptWindow = 20
    /// Finishes needed before the run's own pace counts.
    static let minimumFinishes = 3

    /// The estimate for `progress` at `now`, nil once nothing is left.
    public static func of(_ progress: RunProgress, now: Double, rate: Rate) -> RunETA? {
        let left = progress.remainingJobs
        guard left > 0, !progress.finished else { return nil }
        let requestsPerJob = progress.planned.jobs > 0 ? Double(progress.planned.requests) / Double(progress.planned.jobs) : 2
        let perRequest = max(rate.interval, medianGap(progress.recentRequests) ?? 0)
        // Attempts fail at the rate the latest ones did: each such attempt costs a request more.
        let failing = min(0.8, Double(progress.recentAttempts.filter { $0 }.count) / Double(max(progress.recentAttempts.count, 1)))
        var work = Double(left) * (requestsPerJob + failing / (1 - failing)) * perRequest
        // The pace the run has kept over its latest finishes, pauses apart: what the rate
        // alone misses (backoffs that leave nothing to run, one job of a mod at a time, a slow portal).
        if let pace = pace(progress, now: now) { work = max(work, Double(left) / pace) }
        var wait: Wait?
        var waitSeconds = 0.0
        if let paused = progress.portalPausedUntil, paused > now {
            wait = .portalPause(until: paused)
            waitSeconds = paused - now
        } else if progress.inFlight.isEmpty, progress.retries.count >= left, let first = progress.nextRetry, first.at > now {
            wait = .retry(mod: first.mod, at: first.at)
            waitSeconds = first.at - now
        }
        // No run ends before its last retry is due and sent.
        let send = requestsPerJob * perRequest
        let lastRetry = progress.retries.values.map { $0.at - now + send }.max() ?? 0
        return RunETA(seconds: max(waitSeconds + work, lastRetry), waitingFor: wait)
    }

    /// Jobs finished per second over the latest finishes, from the finish before them (or the
    /// run's start) to `now`, the portal's pauses left out; nil with fewer than three finishes.
    static func pace(_ progress: RunProgress, now: Double) -> Double? {
        let finishes = progress.recentFinishes
        guard finishes.count >= minimumFinishes else { return nil }
        let finished = progress.done + progress.failed
        // The window starts at the finish before it; while it holds every finish, at the start.
        let whole = finished <= finishes.count
        let counted = whole ? finishes.count : finishes.count - 1
        let since = whole ? RunProgress.Finish(at: progress.startedAt, paused: 0) : finishes[0]
        let elapsed = (now - since.at) - (progress.pausedSeconds(at: now) - since.paused)
        guard elapsed > 0 else { return nil }
        return Double(counted) / elapsed
    }

    /// The median time between two of `times`, nil with fewer than three.
    static func medianGap(_ times: [Double]) -> Double? {
        guard times.count >= 3 else { return nil }
        let gaps = zip(times.dropFirst(), times).map { $0 - $1 }.sorted()
        return gaps[gaps.count / 2]
    }
}

/// The ETA as a person reads it: the moment it predicts, moved toward each new estimate a little
/// at a time (a time constant of `seconds`), so one burst of 429s or one long backoff does not
/// make it jump, while a lasting change comes through within a minute or so.
public struct SmoothedETA: Sendable {
    public let seconds: Double
    private var finish: Double?
    private var at: Double = 0

    public init(seconds: Double = 20) {
        self.seconds = seconds
    }

    /// Seconds left as shown at `now`, given the estimate at `now` (nil once nothing is left).
    public mutating func update(_ estimate: RunETA?, now: Double) -> Double? {
        guard let estimate else {
            finish = nil
            return nil
        }
        let target = now + estimate.seconds
        if let previous = finish, now > at {
            finish = previous + (target - previous) * (1 - exp(-(now - at) / seconds))
        } else if finish == nil {
            finish = target
        }
        at = max(at, now)
        return max(0, (finish ?? target) - now)
    }
}
