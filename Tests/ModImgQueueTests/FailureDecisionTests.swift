import ModPortal
import Testing

@testable import ModImgQueue

/// The decision the worker applies after a failed call: a pure function of the error, the
/// job's attempts and the retry policy.
@Suite struct FailureDecisionTests {
    let policy = RetryPolicy(baseDelay: 2, maxDelay: 600, maxAttempts: 10)

    func decide(_ error: PortalError, attempts: Int = 0) -> FailureDecision {
        FailureDecision.decide(error, during: .add, attempts: attempts, now: 1000, policy: policy, unitRandom: 0.5)
    }

    @Test func transientErrorsRetryWithBackoff() {
        #expect(decide(.transport("reset")) == .retry(at: 1001.5, failure: JobFailure(.portal("Transport"), "add: no answer from the portal: reset"), pauseUntil: nil))
        guard case .retry(let at, _, nil) = decide(.server(httpStatus: 503, retryAfter: nil, snippet: ""), attempts: 3) else {
            Issue.record("a 503 is retried")
            return
        }
        #expect(at == 1000 + 12)
    }

    @Test func retryAfterIsHonouredAndPausesEveryoneButForAnHourAtMost() {
        guard case .retry(let at, _, let pause) = decide(.rateLimited(httpStatus: 429, retryAfter: 30)) else {
            Issue.record("a 429 is retried")
            return
        }
        #expect(at == 1030)
        #expect(pause == 1030)
        for hostile in [Double.infinity, 1e300, 99_999_999] {
            guard case .retry(let at, _, let pause) = decide(.rateLimited(httpStatus: 429, retryAfter: hostile)) else {
                Issue.record("a 429 is retried")
                continue
            }
            #expect(at == 1000 + PortalPause.maximumSeconds)
            #expect(pause == 1000 + PortalPause.maximumSeconds)
        }
        guard case .retry(_, _, nil) = decide(.rateLimited(httpStatus: 429, retryAfter: .nan)) else {
            Issue.record("a 429 with a NaN Retry-After is retried without a pause")
            return
        }
    }

    @Test func theLastAttemptFails() {
        #expect(decide(.transport("reset"), attempts: 9) == .fail(JobFailure(.portal("Transport"), "add: gave up after 10 attempts: no answer from the portal: reset")))
    }

    @Test func anUnknownOrForeignModFailsTheWholeMod() {
        let unknown = PortalError.api(code: "UnknownMod", message: "no such mod", httpStatus: 404, retryAfter: nil)
        #expect(decide(unknown) == .failMod(JobFailure(.portal("UnknownMod"), "add: no such mod")))
        let forbidden = PortalError.api(code: "Forbidden", message: "not yours", httpStatus: 403, retryAfter: nil)
        #expect(decide(forbidden) == .failMod(JobFailure(.portal("Forbidden"), "add: not yours")))
        let invalid = PortalError.api(code: "InvalidImageUpload", message: "bad", httpStatus: 400, retryAfter: nil)
        #expect(decide(invalid) == .fail(JobFailure(.portal("InvalidImageUpload"), "add: bad")))
    }

    @Test func aMissingOrRefusedKeyStopsTheWorker() {
        #expect(decide(.missingApiKey) == .stop(.missingApiKey))
        let refused = PortalError.api(code: "InvalidApiKey", message: "key expired", httpStatus: 403, retryAfter: nil)
        #expect(decide(refused) == .stop(.apiKeyRejected("key expired")))
    }

    @Test func failureCodesRoundTripThroughTheirStoredText() {
        for code in [FailureCode.fileUnreadable, .fileChanged, .idMismatch, .uploadURLNotValid, .dependencyFailed, .galleryMismatch, .invalidJob, .portal("HTTP503")] {
            #expect(FailureCode(rawValue: code.rawValue) == code)
        }
    }
}

@Suite struct ExtremeTimesTests {
    @Test(arguments: [Double.nan, .infinity, -.infinity, 1e300, -1e300, 1e19])
    func aTimeOfAnySizeIsShownWithoutTrapping(value: Double) {
        #expect(!Timestamps.format(value).isEmpty)
    }

    @Test(arguments: [
        (0.0, 0, "1970-01-01T00:00:00+00:00"), (1_795_749_692.9, 3600, "2026-11-27T04:21:32+01:00"),
        (-1.0, -18_000, "1969-12-31T18:59:59-05:00"), (1_795_749_692.0, 19_800, "2026-11-27T08:51:32+05:30"),
        (-62_135_596_800.0, 0, "0001-01-01T00:00:00+00:00"), (253_402_300_799.0, 0, "9999-12-31T23:59:59+00:00"),
    ])
    func timesAreShownAsISO8601WithTheirOffsetAndEveryDigit(seconds: Double, offset: Int, shown: String) {
        #expect(Timestamps.format(seconds, utcOffset: offset) == shown)
    }

    @Test func anInfiniteSleepOnTheSystemClockEndsWhenItsTaskIsCancelled() async {
        let sleeper = Task { await SystemClock().sleep(seconds: .infinity) }
        sleeper.cancel()
        await sleeper.value
    }
}
