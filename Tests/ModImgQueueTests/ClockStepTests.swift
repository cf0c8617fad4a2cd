import Foundation
import ModPortalSim
import TestSupport
import Testing

@testable import ModImgQueue

/// A clock stepped back (state written while it ran a day ahead) holds the queue back by one
/// burst of the rate at most, a portal pause by the hour cap at most; and a wait that ends on
/// another day says which.
@Suite struct ClockStepTests {
    static let day = 86_400.0

    func budget(_ q: QueueFixture, rate: Rate, burst: Int = 1) -> SQLiteRequestBudget {
        SQLiteRequestBudget(database: q.database, limit: CellRateLimit(rate: rate, burst: burst))
    }

    @Test(arguments: [1, 5])
    func aBudgetStoredWhileTheClockWasADayAheadHoldsBackOneBurstAtMost(burst: Int) async throws {
        let q = try QueueFixture()
        let budget = budget(q, rate: Rate(count: 1, period: 1), burst: burst)
        // The clock runs a day ahead while a burst and more is spent; then it is set right.
        var spent = 0
        while try await budget.tryAcquire(now: 1000 + Self.day) == nil { spent += 1 }
        #expect(spent == burst)
        let retryAt = try #require(try await budget.tryAcquire(now: 1000))
        #expect(retryAt <= 1000 + 1, "waits until \(retryAt - 1000) s from now")
        #expect(try await budget.tryAcquire(now: retryAt) == nil)
        // And from there on the rate holds: not one more than the budget in the next ten seconds.
        var sent = 1
        for step in 1...1000 where try await budget.tryAcquire(now: retryAt + Double(step) / 100) == nil { sent += 1 }
        #expect(sent <= burst + 10)
    }

    @Test func aPauseStoredWhileTheClockWasADayAheadEndsWithinTheHourCapOfTheRightTime() async throws {
        let q = try QueueFixture()
        let budget = budget(q, rate: Rate(count: 100, period: 1))
        try await budget.pause(until: 1000 + Self.day + 600, now: 1000 + Self.day)
        let retryAt = try #require(try await budget.tryAcquire(now: 1000))
        #expect(retryAt <= 1000 + PortalPause.maximumSeconds)
        #expect(try await budget.tryAcquire(now: 1000 + PortalPause.maximumSeconds) == nil)
    }

    @Test func aMomentOnAnotherDayIsShownWithItsDate() {
        let now = Date().timeIntervalSince1970
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .current
        formatter.dateFormat = "HH:mm:ss"
        #expect(LocalMoment.text(now, now: now) == formatter.string(from: Date(timeIntervalSince1970: now.rounded(.down))))
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        for later in [now + 2 * Self.day, now - 2 * Self.day] {
            #expect(LocalMoment.text(later, now: now) == formatter.string(from: Date(timeIntervalSince1970: later.rounded(.down))))
        }
    }

    @Test func workWaitingForAJobDueInThreeDaysSaysOnWhichDay() async throws {
        try await withSimulator { _, url in
            let q = try QueueFixture()
            _ = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: try q.pngs(1...1))
            let due = (Date().timeIntervalSince1970 + 3 * Self.day).rounded(.down)
            try await q.execute("UPDATE jobs SET next_attempt_at = ?", [due])
            let log = q.dir.file("work.log")
            let worker = try CommandRunner.start(
                Binaries.modimgQueue, ["work", "--db", q.path, "--log-file", log, "--no-progress"],
                environment: ["MOD_EDIT_API_KEY": SimDefaults.apiKey, "MODIMG_PORTAL_URL": url.absoluteString])
            var logged = ""
            for _ in 0..<1000 where !logged.contains("waiting until") {
                try await Task.sleep(for: .milliseconds(20))
                logged = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            }
            worker.kill(SIGINT)
            let result = await worker.wait()
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = .current
            formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
            let expected = "waiting until \(formatter.string(from: Date(timeIntervalSince1970: due)))"
            #expect(logged.contains(expected), "\(logged)\n\(result.stderr)")
        }
    }
}
