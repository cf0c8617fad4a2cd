import Foundation
import SQLiteStore
import TestSupport

@testable import ModImgQueue

/// A real queue database in a temporary folder.
struct QueueFixture {
    let dir: TemporaryDirectory
    let path: String
    let database: QueueDatabase
    let store: SQLiteJobStore

    init() throws {
        dir = try TemporaryDirectory("queue")
        path = dir.file("queue.sqlite3")
        database = try QueueDatabase.open(path: path)
        store = SQLiteJobStore(database: database)
    }

    func count(_ sql: String, _ values: [any SQLiteBindable] = []) async throws -> Int {
        try await database.read { try $0.row(sql, values)?.int("n") ?? -1 }
    }

    func execute(_ sql: String, _ values: [any SQLiteBindable] = []) async throws {
        try await database.write { try $0.run(sql, values) }
    }

    func state(of job: Int64) async throws -> JobState? {
        try await database.read { try $0.row("SELECT state FROM jobs WHERE id = ?", [job])?.string("state") }
            .flatMap(JobState.init(rawValue:))
    }

    func job(_ id: Int64) async throws -> Job { try await QueueQueries(database: database).job(id: id) }

    func events(_ id: Int64) async throws -> [String] {
        try await QueueQueries(database: database).events(jobID: id).map(\.toState)
    }

    func pngs(_ seeds: ClosedRange<Int>) throws -> [String] {
        try seeds.map { try ImageFixtures.writePNG(seed: $0, to: dir.url) }
    }
}
