import Foundation
import ModPortal
import ModPortalSim
import TestSupport

@testable import ModImgQueue

/// A worker wired to real parts: the SQLite queue, the HTTP client and an in-process simulator.
struct WorkerHarness {
    let q: QueueFixture
    let portal: HTTPPortalClient
    let baseURL: URL

    init(queue: QueueFixture, baseURL: URL, apiKey: String? = SimDefaults.apiKey) {
        q = queue
        self.baseURL = baseURL
        portal = HTTPPortalClient(baseURL: baseURL, apiKey: apiKey.flatMap(APIKey.init))
    }

    func configuration() -> WorkerConfiguration {
        var configuration = WorkerConfiguration()
        configuration.retryPolicy = RetryPolicy(baseDelay: 0.01, maxDelay: 0.05, maxAttempts: 10)
        configuration.pollInterval = 0.01
        configuration.leaseSeconds = 30
        configuration.listingLagSeconds = 0.05
        return configuration
    }

    func worker(_ configuration: WorkerConfiguration? = nil, rate: Rate = Rate(count: 1000, period: 1)) -> Worker {
        Worker(
            store: q.store, portal: portal,
            budget: SQLiteRequestBudget(database: q.database, limit: CellRateLimit(rate: rate)), clock: SystemClock(),
            configuration: configuration ?? self.configuration())
    }

    func run(_ configuration: WorkerConfiguration? = nil) async throws -> WorkerReport {
        let report = await worker(configuration).run()
        await portal.shutdown()
        return report
    }

    func job(_ id: Int64) async throws -> Job { try await q.job(id) }
}
