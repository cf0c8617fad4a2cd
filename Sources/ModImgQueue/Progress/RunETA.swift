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

    /// The estimate for `progress` at `now`, nil once nothing is left.
    public static func of(_ progress: RunProgress, now: Double, rate: Rate) -> RunETA? {
        let left = progress.remainingJobs
        guard left > 0, !progress.finished else { return nil }
        let requestsPerJob = progress.planned.jobs > 0 ? Double(progress.planned.requests) / Double(progress.planned.jobs) : 2
        let perRequest = max(rate.interval, medianGap(progress.recentRequests) ?? 0)
        // Attempts fail at the rate the latest ones did: each such attempt costs a request more.
        let failing = min(0.8, Double(progress.recentAttempts.filter { $0 }.count) / Double(max(progress.recentAttempts.count, 1)))
        let work = Double(left) * (requestsPerJob + failing / (1 - failing)) * perRequest
        var wait: Wait?
        var waitSeconds = 0.0
        if let paused = progress.portalPausedUntil, paused > now {
            wait = .portalPause(until: paused)
            waitSeconds = paused - now
        } else if progress.inFlight.isEmpty, progress.retries.count >= left, let first = progress.nextRetry, first.at > now {
            wait = .retry(mod: first.mod, at: first.at)
            waitSeconds = first.at - now
        }
        // No run ends before its last retry is due and sent — nor, as attempts fail at that
        // rate, before the longer backoffs that may follow it (a backoff doubles: the expected
        // extra wait after one of `delay` is delay · 2f / (1 − 2f)).
        let chain: Double = min(failing, 0.4)
        let longer: Double = 2 * chain / (1 - 2 * chain)
        let send: Double = requestsPerJob * perRequest
        var lastRetry = 0.0
        for retry in progress.retries.values { lastRetry = max(lastRetry, retry.at - now + send + retry.delay * longer) }
        return RunETA(seconds: max(waitSeconds + work, lastRetry), waitingFor: wait)
    }

    /// The median time between two of `times`, nil with fewer than three.
    static func medianGap(_ times: [Double]) -> Double? {
        guard times.count >= 3 else { return nil }
        let gaps = zip(times.dropFirst(), times).map { $0 - $1 }.sorted()
        return gaps[gaps.count / 2]
    }
}
