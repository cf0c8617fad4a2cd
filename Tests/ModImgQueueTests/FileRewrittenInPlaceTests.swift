import Foundation
import ModPortal
import ModPortalSim
import Synchronization
import TestSupport
import Testing

@testable import ModImgQueue

/// The bytes an upload sends are the bytes whose SHA1 was checked, even when the queued file is
/// rewritten in place (same inode, same size) between the check and the send: the worker against
/// the real simulator, over HTTP, with the real SQLite queue.
@Suite struct FileRewrittenInPlaceTests {
    @Test func aFileRewrittenInPlaceDuringTheAddIsNotSentAndItsJobFailsFileChanged() async throws {
        try await withSimulator { sim, url in
            let q = try QueueFixture()
            let job = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: try q.pngs(1...1)).queued[0]
            let path = try #require(try await q.job(job).upload?.path)
            let original = try Data(contentsOf: URL(fileURLWithPath: path))
            let other = ImageFixtures.png(seed: 99)
            #expect(other.count == original.count && other != original)
            let inode = Self.inode(path)
            let harness = WorkerHarness(queue: q, baseURL: url)
            let rewrites = Count()
            // Checked and hashed when the job started; rewritten once its add is committed, before the upload.
            let worker = Worker(
                store: q.store, portal: harness.portal,
                budget: SQLiteRequestBudget(database: q.database, limit: CellRateLimit(rate: Rate(count: 1000, period: 1))),
                clock: SystemClock(), configuration: harness.configuration(),
                checkpoint: { point, _ in
                    guard point == .afterAddCommitted, let handle = FileHandle(forWritingAtPath: path) else { return }
                    try? handle.write(contentsOf: other)
                    try? handle.close()
                    rewrites.value.withLock { $0 += 1 }
                })
            let report = await worker.run()
            await harness.portal.shutdown()
            #expect(rewrites.value.withLock { $0 } == 1)
            #expect(Self.inode(path) == inode)
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == other)
            #expect(report.failed == 1)
            #expect(report.done == 0)
            let failed = try await q.job(job)
            #expect(failed.state == .failed)
            #expect(failed.lastFailure?.code == .fileChanged)
            let message = failed.lastFailure?.message ?? ""
            #expect(message.contains("\(path) was rewritten while it was being sent"), "\(message)")
            #expect(message.contains("the portal stored nothing"), "\(message)")
            let state = sim.state()
            #expect(state.uploadsPerImage["m"] == nil, "the portal stored \(state.uploadsPerImage)")
            #expect(state.galleries["m", default: []].isEmpty)
        }
    }

    final class Count: Sendable {
        let value = Mutex(0)
    }

    static func inode(_ path: String) -> UInt64 {
        var info = stat()
        #expect(stat(path, &info) == 0)
        return UInt64(info.st_ino)
    }
}
