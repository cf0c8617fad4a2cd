import Testing

@testable import ModImgQueue

@Suite struct RateTests {
    @Test(arguments: [
        ("2/s", 2, 1.0), ("90/min", 90, 60.0), ("90/m", 90, 60.0), ("3600/h", 3600, 3600.0), ("5/sec", 5, 1.0),
    ])
    func parsesRates(text: String, count: Int, period: Double) throws {
        let rate = try #require(Rate(parsing: text))
        #expect(rate.count == count)
        #expect(rate.period == period)
    }

    @Test(arguments: ["", "2", "/s", "0/s", "-1/s", "2/day", "two/s", "2/s/s", "1.5/s"])
    func rejectsMalformedRates(text: String) {
        #expect(Rate(parsing: text) == nil)
    }

    @Test func defaultIsConservative() {
        #expect(Rate.default.interval >= 1)
        #expect(Rate(parsing: Rate.default.description) == Rate.default)
    }
}

@Suite struct CellRateLimitTests {
    /// Replays requests asked for at the given times, sending each as soon as the limit allows.
    func sendTimes(limit: CellRateLimit, asks: [Double]) -> [Double] {
        var tat = 0.0
        var sent: [Double] = []
        for ask in asks {
            var now = ask
            while true {
                switch limit.decide(tat: tat, pausedUntil: 0, now: now) {
                case .allow(let newTAT):
                    tat = newTAT
                    sent.append(now)
                case .wait(let until):
                    now = until
                    continue
                }
                break
            }
        }
        return sent
    }

    @Test func spacesRequestsByTheInterval() {
        let limit = CellRateLimit(rate: Rate(count: 4, period: 1))
        let sent = sendTimes(limit: limit, asks: Array(repeating: 10.0, count: 8))
        #expect(sent.first == 10)
        for (a, b) in zip(sent, sent.dropFirst()) { #expect(abs((b - a) - 0.25) < 1e-9) }
    }

    @Test func neverExceedsTheBudgetPlusBurstInAnyWindow() {
        let rate = Rate(count: 5, period: 1)
        for burst in [1, 3] {
            let limit = CellRateLimit(rate: rate, burst: burst)
            let sent = sendTimes(limit: limit, asks: (0..<200).map { Double($0) * 0.01 })
            for start in sent {
                let inWindow = sent.filter { $0 >= start && $0 < start + 1 - 1e-6 }.count
                #expect(inWindow <= rate.count + burst - 1)
            }
        }
    }

    @Test func pauseHoldsEveryoneBack() {
        let limit = CellRateLimit(rate: Rate(count: 10, period: 1))
        #expect(limit.decide(tat: 0, pausedUntil: 50, now: 20) == .wait(until: 50))
        #expect(limit.decide(tat: 0, pausedUntil: 50, now: 50) == .allow(newTAT: 50.1))
    }
}

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(baseDelay: 2, maxDelay: 60, maxAttempts: 5)

    @Test func growsExponentiallyWithinJitterBounds() throws {
        for attempt in 1...4 {
            let ceiling = min(60, 2 * Double(1 << (attempt - 1)))
            let low = try #require(policy.delay(afterAttempt: attempt, retryAfter: nil, unitRandom: 0))
            let high = try #require(policy.delay(afterAttempt: attempt, retryAfter: nil, unitRandom: 0.999_999))
            #expect(abs(low - ceiling / 2) < 1e-6)
            #expect(abs(high - ceiling) < 1e-3)
        }
    }

    @Test func isCappedAtMaxDelay() throws {
        let long = RetryPolicy(baseDelay: 2, maxDelay: 60, maxAttempts: 100)
        #expect(try #require(long.delay(afterAttempt: 50, retryAfter: nil, unitRandom: 1)) == 60)
    }

    @Test func honoursRetryAfter() throws {
        #expect(try #require(policy.delay(afterAttempt: 1, retryAfter: 30, unitRandom: 0.5)) == 30)
    }

    @Test func stopsAfterMaxAttempts() {
        #expect(policy.delay(afterAttempt: 5, retryAfter: nil, unitRandom: 0.5) == nil)
    }
}
