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
}
