import Foundation
import SQLiteStore
import Testing

@testable import ModImgQueue

/// The rate budget kept in the database: shared by every store on the file, and kept across restarts.
@Suite struct SharedBudgetTests {
    func budget(_ path: String, rate: Rate) throws -> SQLiteRequestBudget {
        SQLiteRequestBudget(database: try QueueDatabase.open(path: path), limit: CellRateLimit(rate: rate))
    }

    @Test func threeWorkersShareOneBudget() async throws {
        let q = try QueueFixture()
        let rate = Rate(count: 10, period: 1)
        let budgets = try (0..<3).map { _ in try budget(q.path, rate: rate) }
        var sent: [Double] = []
        // Every worker asks every 10 ms for 5 simulated seconds.
        for step in 0..<500 {
            let now = 1000 + Double(step) / 100
            for budget in budgets where try await budget.tryAcquire(now: now) == nil { sent.append(now) }
        }
        // 10/s for 5 s; polling every 10 ms may lose a step per request to rounding.
        #expect(sent.count >= 45 && sent.count <= 51)
        for start in sent {
            #expect(sent.filter { $0 >= start && $0 < start + 1 - 1e-6 }.count <= 10)
        }
    }

    @Test func aRestartedWorkerDoesNotGetAFreshBudget() async throws {
        let q = try QueueFixture()
        let rate = Rate(count: 1, period: 60)
        #expect(try await budget(q.path, rate: rate).tryAcquire(now: 1000) == nil)
        // The process dies and a new one starts a second later: it must wait out the minute.
        let restarted = try budget(q.path, rate: rate)
        #expect(try await restarted.tryAcquire(now: 1001) == 1060)
        #expect(try await restarted.tryAcquire(now: 1060) == nil)
    }

    @Test func retryAfterSeenByOneWorkerHoldsBackTheOthers() async throws {
        let q = try QueueFixture()
        let rate = Rate(count: 100, period: 1)
        let first = try budget(q.path, rate: rate)
        let second = try budget(q.path, rate: rate)
        try await first.pause(until: 1030, now: 1000)
        #expect(try await second.tryAcquire(now: 1000) == 1030)
        #expect(try await second.tryAcquire(now: 1030) == nil)
    }

    @Test func aSlowerRateUsedBeforeLeavesNoDebtForTodaysRate() async throws {
        let q = try QueueFixture()
        let hourly = try budget(q.path, rate: Rate(count: 1, period: 3600))
        #expect(try await hourly.tryAcquire(now: 1000) == nil)
        #expect(try await hourly.tryAcquire(now: 1001) == 4600)
        // The next process runs at 100/s: one burst of that rate ahead of now at most.
        let fast = try budget(q.path, rate: Rate(count: 100, period: 1))
        #expect(try await fast.tryAcquire(now: 1002) == 1002.01)
        #expect(try await fast.tryAcquire(now: 1002.01) == nil)
        #expect(try await fast.tryAcquire(now: 1002.02) == nil)
    }

    @Test(arguments: [Double.infinity, 1e300, 1e19, 100_000_000] as [Double])
    func aPortalPauseLastsAtMostAnHour(until: Double) async throws {
        let q = try QueueFixture()
        let budget = try budget(q.path, rate: Rate(count: 100, period: 1))
        #expect(try await budget.pause(until: until, now: 1000) == 1000 + PortalPause.maximumSeconds)
        #expect(try await budget.tryAcquire(now: 1000) == 1000 + PortalPause.maximumSeconds)
        #expect(try await budget.tryAcquire(now: 1000 + PortalPause.maximumSeconds) == nil)
        #expect(try await QueueQueries(database: try QueueDatabase.open(path: q.path)).status(now: 1001).portalPausedUntil == 4600)
    }

    @Test func aPauseStoredByAnOlderVersionIsCutToAnHourFromNow() async throws {
        let q = try QueueFixture()
        try await q.execute("INSERT INTO rate_limits (name, theoretical_arrival_time, paused_until) VALUES ('portal', 0, ?)", [1e300])
        let budget = try budget(q.path, rate: Rate(count: 100, period: 1))
        #expect(try await budget.tryAcquire(now: 1000) == 1000 + PortalPause.maximumSeconds)
    }

    @Test func aRequestIsChargedOnlyForAClaimStillHeldAndExtendsIt() async throws {
        let q = try QueueFixture()
        _ = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: try q.pngs(1...1))
        let budget = try budget(q.path, rate: Rate(count: 1, period: 60))
        let claim = try #require(try await q.store.claim(by: .current, now: 1000, leaseSeconds: 30))
        #expect(try await budget.acquire(for: claim, sending: .add, now: 1010, leaseSeconds: 30) == .granted(leaseEndsAt: 1040))
        #expect(try await q.count("SELECT COUNT(*) AS n FROM jobs WHERE lease_expires_at = 1040") == 1)
        #expect(try await budget.acquire(for: claim, sending: .add, now: 1020, leaseSeconds: 30) == .wait(until: 1070))
        // The lease ran out: nothing is charged, and the budget's next slot is still 1070.
        #expect(try await budget.acquire(for: claim, sending: .add, now: 1080, leaseSeconds: 30) == .claimLost)
        #expect(try await budget.tryAcquire(now: 1070) == nil)
    }

    @Test func aWorkerWhoseClockWasReadAMomentEarlierDoesNotCutAnotherWorkersReservation() async throws {
        let q = try QueueFixture()
        let rate = Rate(count: 20, period: 1)
        let first = try budget(q.path, rate: rate)
        let second = try budget(q.path, rate: rate)
        #expect(try await first.tryAcquire(now: 1000.02) == nil)
        // The second read its clock at 1000.00, then waited for the lock: it waits the full interval.
        let wait = try #require(try await second.tryAcquire(now: 1000.00))
        #expect(abs(wait - (1000.02 + rate.interval)) < 1e-9)
    }
}
