import ModPortal

/// What the worker does about a failed portal call, decided from the error, the job's attempts
/// and the retry policy alone. The worker applies it; this type sends and writes nothing.
public enum FailureDecision: Equatable, Sendable {
    /// Try again at `at`; with `pauseUntil`, hold every request on the database back until then.
    case retry(at: Double, failure: JobFailure, pauseUntil: Double?)
    /// The job cannot succeed as it is.
    case fail(JobFailure)
    /// The job cannot succeed, nor can the mod's other open jobs (unknown mod, or not ours).
    case failMod(JobFailure)
    /// Nothing can succeed: stop the worker, leave the job as it was.
    case stop(StopCause)

    /// `attempts` is how many transient failures the job had before this one.
    public static func decide(
        _ error: PortalError, during call: PortalCall, attempts: Int, now: Double, policy: RetryPolicy, unitRandom: Double
    ) -> FailureDecision {
        let failure = JobFailure(FailureCode(error), "\(call.rawValue): \(error.message)")
        switch FailureDisposition.of(error) {
        case .stopWorker:
            return .stop(error == .missingApiKey ? .missingApiKey : .apiKeyRejected(error.message))
        case .fail:
            if error.apiCode == .unknownMod || error.apiCode == .forbidden { return .failMod(failure) }
            return .fail(failure)
        case .retry:
            let attempt = attempts + 1
            // Capped: a portal may answer `inf`, `1e300` or a date years ahead; NaN counts as none.
            let retryAfter = error.retryAfter.flatMap { $0.isNaN ? nil : min(max($0, 0), PortalPause.maximumSeconds) }
            guard let delay = policy.delay(afterAttempt: attempt, retryAfter: retryAfter, unitRandom: unitRandom) else {
                return .fail(
                    JobFailure(FailureCode(error), "\(call.rawValue): gave up after \(attempt) attempts: \(error.message)"))
            }
            return .retry(at: now + delay, failure: failure, pauseUntil: retryAfter.map { now + $0 })
        }
    }
}
