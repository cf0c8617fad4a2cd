import Foundation
import SQLiteStore
import TestSupport

@testable import ModImgQueue

/// A real queue database in a temporary folder.
struct QueueFixture {
    let dir: TemporaryDirectory
    let path: String
    let store: SQLiteJobStore

    init() throws {
        dir = try TemporaryDirectory("queue")
        path = dir.file("queue.sqlite3")
        store = SQLiteJobStore(connection: try QueueDatabase.open(path: path))
    }

    func count(_ sql: String, _ values: [any SQLiteBindable] = []) throws -> Int {
        try store.withConnection { try $0.row(sql, values)?.int("n") ?? -1 }
    }

    func state(of job: Int64) throws -> JobState? {
        try store.withConnection { try $0.row("SELECT state FROM jobs WHERE id = ?", [job])?.string("state") }
            .flatMap(JobState.init(rawValue:))
    }

    func pngs(_ seeds: ClosedRange<Int>) throws -> [String] {
        try seeds.map { try ImageFixtures.writePNG(seed: $0, to: dir.url) }
    }
}
