import Foundation
import SQLiteStore
import TestSupport
import Testing

@testable import ModImgQueue

@Suite struct QueueDatabaseTests {
    @Test func theBinaryCarriesExactlyTheMigrationsFolder() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Migrations")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(!files.isEmpty)
        #expect(embeddedMigrationFiles.map(\.name) == files)
        for (name, sql) in embeddedMigrationFiles {
            #expect(sql == (try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)))
        }
    }

    @Test func aNewDatabaseIsPrivateAndFullyMigrated() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("q.sqlite3")
        let db = try QueueDatabase.open(path: path)
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        let versions = try await db.read { try Migrator(migrations: QueueDatabase.migrations).appliedVersions(in: $0) }
        #expect(versions == QueueDatabase.migrations.map(\.version))
        // Opening again applies nothing new.
        _ = try QueueDatabase.open(path: path)
        #expect(try await db.read { try $0.row("SELECT COUNT(*) AS n FROM schema_migrations")?.int("n") } == versions.count)
    }

    @Test func aDatabaseFromANewerVersionIsRefusedUntouched() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("q.sqlite3")
        do {
            let db = try QueueDatabase.open(path: path)
            try await db.write { try $0.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", [9999, "future", 1]) }
            try await db.read { try $0.execute("PRAGMA wal_checkpoint(TRUNCATE)") }
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let latest = QueueDatabase.migrations.last?.version ?? 0
        #expect(throws: QueueError.databaseNewer(path, databaseVersion: 9999, programVersion: latest)) {
            try QueueDatabase.open(path: path)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func aNewerDatabaseInRollbackJournalModeIsRefusedBeforeItsModeIsSwitched() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("q.sqlite3")
        // Written by a newer version and left in rollback-journal mode (as `sqlite3` leaves it).
        try CommandRunner.runBlocking("/usr/bin/env", [
            "python3", "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA journal_mode=DELETE'); c.execute('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at REAL NOT NULL)'); c.execute('INSERT INTO schema_migrations VALUES (9999, \\'future\\', 0)'); c.commit(); c.close()",
            path,
        ])
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: QueueError.self) { try QueueDatabase.open(path: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func aDatabaseFileDeletedOrReplacedUnderAnOpenQueueIsNoticedAtTheNextCall() async throws {
        for replace in [false, true] {
            let dir = try TemporaryDirectory()
            let path = dir.file("q.sqlite3")
            let database = try QueueDatabase.open(path: path)
            let store = SQLiteJobStore(database: database)
            _ = try await store.openWork(now: 0)
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            if replace { _ = try QueueDatabase.open(path: path) }
            await #expect(throws: QueueError.databaseReplaced(path)) { try await store.openWork(now: 0) }
            await #expect(throws: QueueError.databaseReplaced(path)) {
                try await store.raiseSignal(.apiKeyRejected, detail: "x", now: 0)
            }
        }
    }

    @Test func historyKeptInUpperCaseByAnEarlierVersionIsLowerCasedSoDedupeMatches() async throws {
        let q = try QueueFixture()
        let path = try q.pngs(1...1)[0]
        let sha1 = ImageFixtures.sha1Hex(ImageFixtures.png(seed: 1))
        // As version 4 of the schema left it: the portal's id as answered, upper case.
        try await q.execute(
            "INSERT INTO images (mod, image_id, url, thumbnail, uploaded_at) VALUES ('m', ?, 'u', 't', 0)", [sha1.uppercased()])
        try await q.execute("DELETE FROM schema_migrations WHERE version = 5")
        let reopened = try QueueDatabase.open(path: q.path)
        let result = try await Enqueuer(database: reopened).enqueueUploads(mod: "m", paths: [path])
        #expect(result.queued.isEmpty)
        #expect(result.skipped.map(\.reason) == ["already uploaded to m (SHA1 \(sha1))"])
    }

    @Test func unusableDatabasePathsGetClearErrors() throws {
        let dir = try TemporaryDirectory()
        let inMissingFolder = dir.file("nope/q.sqlite3")
        #expect(throws: QueueError.databaseFolderMissing(dir.file("nope"))) { try QueueDatabase.open(path: inMissingFolder) }
        let text = dir.file("text.sqlite3")
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: text))
        #expect(throws: QueueError.databaseNotADatabase(text)) { try QueueDatabase.open(path: text) }
    }

    @Test func aDatabaseWithASecondHardLinkIsRefusedUnderEitherNameAndASymbolicLinkIsNot() async throws {
        let q = try QueueFixture()
        _ = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: try q.pngs(1...1))
        let symbolic = q.dir.file("symbolic.sqlite3")
        #expect(symlink(q.path, symbolic) == 0)
        let viaSymlink = try QueueDatabase.open(path: symbolic, creating: false)
        #expect(try await QueueQueries(database: viaSymlink).status(now: 0).total.queued == 1)
        let second = q.dir.file("second.sqlite3")
        #expect(link(q.path, second) == 0)
        for path in [q.path, second, symbolic] {
            #expect(throws: QueueError.databaseHardLinked(path, links: 2)) { try QueueDatabase.open(path: path) }
            #expect(throws: QueueError.databaseHardLinked(path, links: 2)) { try QueueDatabase.open(path: path, creating: false) }
        }
        #expect(QueueError.databaseHardLinked(second, links: 2).description.hasSuffix("use a symbolic link for another path."))
        #expect(!FileManager.default.fileExists(atPath: second + "-wal"), "the second name was opened by SQLite")
        #expect(unlink(second) == 0)
        #expect(try await QueueQueries(database: try QueueDatabase.open(path: q.path)).status(now: 0).total.queued == 1)
    }
}
