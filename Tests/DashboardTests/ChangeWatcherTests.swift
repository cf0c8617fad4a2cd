import Foundation
import ModImgDashboard
import ModImgQueue
import SQLiteStore
import TestSupport
import Testing

/// The watcher sees a commit of another connection, and ends its streams when closed.
@Suite struct ChangeWatcherTests {
    @Test(.timeLimit(.minutes(1))) func aCommitOnAnotherConnectionIsReportedAndCloseEndsTheStream() async throws {
        let dir = try TemporaryDirectory("watcher")
        let path = dir.file("queue.sqlite3")
        let database = try QueueDatabase.open(path: path)
        _ = try await Enqueuer(database: database).enqueueUploads(mod: "m", paths: [try ImageFixtures.writePNG(seed: 1, to: dir.url)])
        let watcher = ChangeWatcher(database: try QueueDatabase.open(path: path, creating: false), interval: .milliseconds(20))
        let changes = await watcher.changes()
        try Connection(path: path).run("UPDATE jobs SET state = 'cancelled'")
        var iterator = changes.makeAsyncIterator()
        // Waits for the element however long it takes; a watcher that never reports hangs here,
        // and the time limit fails it.
        #expect(await iterator.next() != nil)
        watcher.close()
        #expect(await iterator.next() == nil)
        #expect(await watcher.changes().first(where: { _ in true }) == nil, "a closed watcher reports nothing")
    }
}
