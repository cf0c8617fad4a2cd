import Foundation
import Testing

@testable import SQLiteStore

@Suite struct MigratorTests {
    let first = Migration(version: 1, name: "first", sql: "CREATE TABLE a (id INTEGER PRIMARY KEY);")
    let second = Migration(version: 2, name: "second", sql: "CREATE TABLE b (id INTEGER PRIMARY KEY);")

    func connection() throws -> Connection {
        try Connection(path: FileManager.default.temporaryDirectory.appendingPathComponent("m-\(UUID().uuidString).db").path)
    }

    @Test func parsesVersionAndNameFromFileNames() {
        #expect(Migration(fileName: "0007_add_things.sql", sql: "")?.version == 7)
        #expect(Migration(fileName: "0007_add_things.sql", sql: "")?.name == "add_things")
        #expect(Migration(fileName: "notes.txt", sql: "") == nil)
        #expect(Migration(fileName: "abc_x.sql", sql: "") == nil)
    }

    @Test func freshDatabaseGetsEveryMigrationRecorded() throws {
        let db = try connection()
        let ran = try Migrator(migrations: [second, first]).migrate(db, now: 1)
        #expect(ran.map(\.version) == [1, 2])
        #expect(try Migrator(migrations: [first, second]).appliedVersions(in: db) == [1, 2])
        #expect(try db.row("SELECT COUNT(*) AS n FROM sqlite_master WHERE name IN ('a', 'b')")?.int("n") == 2)
    }

    @Test func reRunningAppliesNothingTwiceAndOnlyWhatIsNew() throws {
        let db = try connection()
        try Migrator(migrations: [first]).migrate(db, now: 1)
        #expect(try Migrator(migrations: [first]).migrate(db, now: 2).isEmpty)
        let ran = try Migrator(migrations: [first, second]).migrate(db, now: 3)
        #expect(ran.map(\.version) == [2])
        #expect(try db.row("SELECT COUNT(*) AS n FROM schema_migrations")?.int("n") == 2)
    }

    @Test func aFailingMigrationLeavesNoTraceOfItself() throws {
        let db = try connection()
        let broken = Migration(version: 2, name: "broken", sql: "CREATE TABLE c (id INTEGER); CREATE TABLE oops (;")
        #expect(throws: SQLiteError.self) { try Migrator(migrations: [first, broken]).migrate(db, now: 1) }
        #expect(try Migrator(migrations: [first]).appliedVersions(in: db) == [1])
        #expect(try db.row("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'c'")?.int("n") == 0)
    }

    @Test func aNewerDatabaseIsRefusedUntouched() throws {
        let db = try connection()
        try Migrator(migrations: [first, second]).migrate(db, now: 1)
        let before = try db.rows("SELECT version, name, applied_at FROM schema_migrations").map(\.values)
        #expect(throws: MigrationError.databaseNewerThanProgram(databaseVersion: 2, programVersion: 1)) {
            try Migrator(migrations: [first]).migrate(db, now: 2)
        }
        #expect(try db.rows("SELECT version, name, applied_at FROM schema_migrations").map(\.values) == before)
    }

    @Test func duplicateVersionsAreRejected() {
        #expect(throws: MigrationError.duplicateVersion(1)) {
            try Migrator(migrations: [first, Migration(version: 1, name: "again", sql: "")])
        }
    }
}
