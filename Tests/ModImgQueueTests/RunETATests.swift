import ModImgQueue
import Testing

/// The ETA of a run with a transient storm, a portal pause, failures and retries, against the
/// time the run really took: a scripted single worker under the rate limit, replayed event by
/// event into `RunProgress` at the times the events happened.
@Suite struct RunETATests {
    /// A worker that sends at `rate`: an upload is two requests; a job of a forbidden mod fails
    /// after one request; an attempt fails transiently after one request with probability
    /// `failing` (a seeded draw), and always during the storm, and is retried after a backoff
    /// that doubles from `backoff`; at `pauseAt` the portal asks for `pause` seconds.
    struct ScriptedRun {
        let jobs = 108
        let rate = Rate(count: 3, period: 1)
        let failing = 0.15
        let storm = 20.0...30.0
        let forbidden: Set<Int> = [70, 71, 72]
        let backoff = RetryPolicy.default.baseDelay
        let pauseAt = 50.0
        let pause = 15.0

        /// Every event with its time, and when the run ended.
        func events() -> (events: [(Double, WorkerEvent)], end: Double) {
            var now = 0.0
            var events: [(Double, WorkerEvent)] = []
            var fresh = Array(1...jobs)
            var retries: [(at: Double, job: Int)] = []
            var failures: [Int: Int] = [:]
            var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
            func draw() -> Double {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Double(seed >> 11) / Double(1 << 53)
            }
            var paused = false
            func send() {
                now += rate.interval
                if !paused, now >= pauseAt {
                    paused = true
                    events.append((now, .portalPaused(until: now + pause)))
                    now += pause
                }
                events.append((now, .requestSent(job: 0, mod: "m", call: .add)))
            }
            while !fresh.isEmpty || !retries.isEmpty {
                let job: Int
                if let due = retries.indices.min(by: { retries[$0].at < retries[$1].at }), retries[due].at <= now || fresh.isEmpty {
                    now = max(now, retries[due].at)
                    job = retries.remove(at: due).job
                } else {
                    job = fresh.removeFirst()
                }
                let id = Int64(job)
                events.append((now, .claimed(job: id, mod: "m", kind: .upload, file: "\(job).png")))
                send()
                if forbidden.contains(job) {
                    let failure = JobFailure(.portal("Forbidden"), "add: no")
                    events.append((now, .failed(job: id, mod: "m", failure: failure, next: .advice(for: failure, of: FailedJob(id: id, mod: "m", kind: .upload, path: nil)))))
                    continue
                }
                if storm.contains(now) || draw() < failing {
                    let at = now + backoff * Double(1 << min(failures[job, default: 0], 6))
                    failures[job, default: 0] += 1
                    retries.append((at, job))
                    events.append((now, .retryScheduled(job: id, mod: "m", failure: JobFailure(.portal("HTTP503"), "add: busy"), at: at)))
                    continue
                }
                send()
                events.append((now, .uploaded(job: id, mod: "m", file: "\(job).png", imageID: "id\(job)")))
            }
            return (events, now)
        }
    }

    @Test func atHalfWayTheETAIsWithinAQuarterOfTheTimeTheRunReallyTakes() throws {
        let run = ScriptedRun()
        let (events, end) = run.events()
        var progress = RunProgress(startedAt: 0, planned: OpenWorkEstimate(jobs: run.jobs, requests: 2 * run.jobs))
        let half = end / 2
        for (at, event) in events where at <= half { progress.apply(event, at: at) }
        let eta = try #require(RunETA.of(progress, now: half, rate: run.rate))
        let real = end - half
        #expect(abs(eta.seconds - real) <= 0.25 * real, "ETA \(eta.seconds) s, really \(real) s")
        // Counting the requests left at the rate, as the progress line did, is far off here.
        let requestsLeft = Double(max(0, progress.planned.requests - progress.requests)) * run.rate.interval
        #expect(abs(requestsLeft - real) > 0.25 * real, "the scenario must be one the rate alone gets wrong")
    }

    @Test func theETAStaysUntilTheQueueIsEmptyAndSaysWhatItWaitsFor() throws {
        let rate = Rate(count: 2, period: 1)
        var progress = RunProgress(startedAt: 0, planned: OpenWorkEstimate(jobs: 2, requests: 4))
        progress.apply(.claimed(job: 1, mod: "a", kind: .upload, file: "1.png"), at: 0)
        for _ in 0..<2 { progress.apply(.requestSent(job: 1, mod: "a", call: .add), at: 1) }
        progress.apply(.uploaded(job: 1, mod: "a", file: "1.png", imageID: "x"), at: 1)
        progress.apply(.claimed(job: 2, mod: "b", kind: .upload, file: "2.png"), at: 1)
        for _ in 0..<2 { progress.apply(.requestSent(job: 2, mod: "b", call: .add), at: 2) }
        // Every planned request is sent, but job 2 backs off until 100: not done, and waiting for that.
        progress.apply(.retryScheduled(job: 2, mod: "b", failure: JobFailure(.portal("HTTP503"), "upload: busy"), at: 100), at: 2)
        let retrying = try #require(RunETA.of(progress, now: 10, rate: rate))
        #expect(retrying.waitingFor == .retry(mod: "b", at: 100))
        #expect(retrying.seconds >= 90)
        progress.apply(.portalPaused(until: 50), at: 10)
        #expect(RunETA.of(progress, now: 20, rate: rate)?.waitingFor == .portalPause(until: 50))
        progress.apply(.claimed(job: 2, mod: "b", kind: .upload, file: "2.png"), at: 100)
        progress.apply(.uploaded(job: 2, mod: "b", file: "2.png", imageID: "y"), at: 101)
        #expect(RunETA.of(progress, now: 101, rate: rate) == nil)
    }

    @Test func theShownETAFollowsALastingChangeButNotOneSpike() {
        var shown = SmoothedETA(seconds: 20)
        let steady = { (left: Double) in RunETA(seconds: left, waitingFor: nil) }
        #expect(shown.update(steady(100), now: 0) == 100)
        // One estimate ten times too long (a burst of 429s) moves it by a little.
        let spike = shown.update(steady(1000), now: 1) ?? 0
        #expect(spike > 99 && spike < 160, "\(spike)")
        // Back to the steady estimate: it comes back to it.
        let settled = shown.update(steady(90), now: 11) ?? 0
        #expect(abs(settled - 90) < 30, "\(settled)")
        // A lasting change comes through within a minute.
        var lasting = 0.0
        for t in stride(from: 12.0, through: 72, by: 1) { lasting = shown.update(steady(300), now: t) ?? 0 }
        #expect(lasting > 250, "\(lasting)")
        #expect(shown.update(nil, now: 73) == nil)
    }
}
