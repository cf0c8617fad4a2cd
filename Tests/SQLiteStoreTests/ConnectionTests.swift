import CSQLite
import Foundation
import Testing

@testable import SQLiteStore

@Suite struct ConnectionTests {
    func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("sqlite-\(UUID().uuidString).db").path
    }

    @Test func opensInWALModeWithForeignKeys() throws {
        let db = try Connection(path: temporaryPath())
        #expect(try db.row("PRAGMA journal_mode")?.string("journal_mode") == "delete")
        try db.useWriteAheadLog()
        #expect(try db.row("PRAGMA journal_mode")?.string("journal_mode") == "wal")
        #expect(try db.row("PRAGMA foreign_keys")?.int("foreign_keys") == 1)
        #expect(try db.row("PRAGMA synchronous")?.int("synchronous") == 2)  // FULL
    }

    @Test func bindsTypedValuesWithoutInterpretingThemAsSQL() throws {
        let db = try Connection(path: temporaryPath())
        try db.execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n TEXT)")
        let hostile = "x'); DROP TABLE t; --"
        try db.run("INSERT INTO t VALUES (?, ?, ?, ?, ?)", [42, 1.5, hostile, SQLiteValue.blob([1, 2, 3]), String?.none])
        let row = try #require(try db.row("SELECT * FROM t"))
        #expect(row["i"] == .integer(42))
        #expect(row["r"] == .real(1.5))
        #expect(row["s"] == .text(hostile))
        #expect(row["b"] == .blob([1, 2, 3]))
        #expect(row["n"] == .null)
    }

    @Test func errorsCarryCodeMessageAndSQL() throws {
        let db = try Connection(path: temporaryPath())
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
        try db.run("INSERT INTO t VALUES (?)", [1])
        let sql = "INSERT INTO t VALUES (?)"
        do {
            try db.run(sql, [1])
            Issue.record("a duplicate primary key was accepted")
        } catch {
            #expect(error.code == SQLITE_CONSTRAINT | (6 << 8))  // SQLITE_CONSTRAINT_PRIMARYKEY
            #expect(error.isConstraint)
            #expect(error.message.contains("UNIQUE constraint failed"))
            #expect(error.sql == sql)
        }
        #expect(throws: SQLiteError.self) { try db.run("SELECT nope FROM t") }
    }

    @Test func wrongParameterCountIsAnError() throws {
        let db = try Connection(path: temporaryPath())
        #expect(throws: SQLiteError.self) { try db.run("SELECT ?, ?", [1]) }
    }

    @Test func transactionRollsBackWhenTheBodyThrows() throws {
        let db = try Connection(path: temporaryPath())
        try db.execute("CREATE TABLE t (v INTEGER)")
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try db.transaction {
                try db.run("INSERT INTO t VALUES (?)", [1])
                throw Boom()
            }
        }
        #expect(try db.row("SELECT COUNT(*) AS n FROM t")?.int("n") == 0)
        try db.transaction { try db.run("INSERT INTO t VALUES (?)", [2]) }
        #expect(try db.row("SELECT COUNT(*) AS n FROM t")?.int("n") == 1)
    }

    @Test func aSecondWriterWaitsOutTheBusyTimeoutThenFailsBusy() throws {
        let path = temporaryPath()
        let holder = try Connection(path: path)
        try holder.execute("CREATE TABLE t (v INTEGER)")
        let other = try Connection(path: path, busyTimeoutMilliseconds: 100)
        try holder.execute("BEGIN IMMEDIATE")
        defer { try? holder.execute("ROLLBACK") }
        do {
            try other.transaction { try other.run("INSERT INTO t VALUES (?)", [1]) }
            Issue.record("a second writer got the lock")
        } catch let error as SQLiteError {
            #expect(error.isBusy)
        }
    }

    @Test func aSecondWriterWaitsForALockReleasedWithinItsTimeoutAndCommits() throws {
        let path = temporaryPath()
        let holder = try Connection(path: path)
        try holder.useWriteAheadLog()
        try holder.execute("CREATE TABLE t (v INTEGER)")
        let other = try Connection(path: path, busyTimeoutMilliseconds: 30_000)
        try holder.execute("BEGIN IMMEDIATE")
        try holder.run("INSERT INTO t VALUES (?)", [1])
        // Used by that one thread only, from here on.
        nonisolated(unsafe) let lockHolder = holder
        let released = Thread {
            // Holds the lock through many of the waiter's retries, then commits.
            usleep(300_000)
            try? lockHolder.execute("COMMIT")
        }
        released.start()
        try other.transaction { try other.run("INSERT INTO t VALUES (?)", [2]) }
        #expect(try other.row("SELECT COUNT(*) AS n FROM t")?.int("n") == 2)
    }

    @Test func aFileThatIsNotADatabaseIsReportedAsSuch() throws {
        let path = temporaryPath()
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        do {
            _ = try Connection(path: path)
            Issue.record("a text file opened as a database")
        } catch {
            #expect(error.isNotADatabase)
        }
    }
}
