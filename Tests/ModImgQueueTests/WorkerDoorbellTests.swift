import Foundation
import ModPortal
import TestSupport
import Testing

@testable import ModImgQueue

/// Slots waiting for work are woken by the worker's own changes, not only by their poll.
@Suite struct WorkerDoorbellTests {
    @Test func aRingWakesTheSlotWaitingLongestAndOnlyIt() async throws {
        let bell = Doorbell()
        let clock = ManualClock()
        let ticket = bell.ticket()
        let first = Task { await bell.wait(upTo: 3600, on: clock, since: ticket) }
        while bell.waiting < 1 { await Task.yield() }
        let second = Task { await bell.wait(upTo: 3600, on: clock, since: ticket) }
        while bell.waiting < 2 { await Task.yield() }
        bell.ring()
        await first.value
        #expect(bell.waiting == 1)
        second.cancel()
        await second.value
        #expect(bell.waiting == 0)
        // A ring between the ticket and the wait is not lost.
        await bell.wait(upTo: 3600, on: clock, since: ticket)
    }

    /// With a poll of an hour, the run ends only if the slot left without work is woken when the
    /// other stores its `add` (its mod's next upload may then make its own ahead), and so on.
    @Test(.timeLimit(.minutes(1))) func slotsWaitingForWorkWakeWhenAnotherSlotMovesAJobOn() async throws {
        let q = try QueueFixture()
        _ = try await Enqueuer(database: q.database).enqueueUploads(mod: "mod-a", paths: try q.pngs(1...4))
        let portal = ScriptedPortal()
        var configuration = WorkerConfiguration()
        configuration.concurrency = 2
        configuration.pollInterval = 3600
        configuration.executor = q.database.executor
        let worker = Worker(
            store: q.store, portal: portal,
            budget: SQLiteRequestBudget(database: q.database, limit: CellRateLimit(rate: Rate(count: 1000, period: 1))),
            clock: SystemClock(), configuration: configuration)
        let report = await worker.run()
        #expect(report.done == 4)
        #expect(portal.uploadedIDs == (1...4).map { ImageFixtures.sha1Hex(ImageFixtures.png(seed: $0)) })
    }
}
