/// One schema migration: a version number, a name, and the SQL that applies it.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// Reads `0007_add_things.sql` as version 7 named `add_things`.
    public init?(fileName: String, sql: String) {
        guard fileName.hasSuffix(".sql") else { return nil }
        let stem = fileName.dropLast(4)
        guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]) else {
            return nil
        }
        self.init(version: version, name: String(stem[stem.index(after: underscore)...]), sql: sql)
    }
}

public enum MigrationError: Error, Equatable, CustomStringConvertible {
    /// The database records a migration this program does not know: it was written by a newer version.
    case databaseNewerThanProgram(databaseVersion: Int, programVersion: Int)
    case duplicateVersion(Int)

    public var description: String {
        switch self {
        case .databaseNewerThanProgram(let databaseVersion, let programVersion):
            return "the database has schema version \(databaseVersion), newer than this program's \(programVersion)"
        case .duplicateVersion(let version):
            return "two migrations share version \(version)"
        }
    }
}

/// Applies ordered migrations, each once and in its own transaction, recording them in `schema_migrations`.
public struct Migrator: Sendable {
    public let migrations: [Migration]

    public init(migrations: [Migration]) throws(MigrationError) {
        let sorted = migrations.sorted { $0.version < $1.version }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.version == b.version {
            throw .duplicateVersion(a.version)
        }
        self.migrations = sorted
    }

    public var latestVersion: Int { migrations.last?.version ?? 0 }

    public func appliedVersions(in connection: Connection) throws -> [Int] {
        let exists = try connection.row(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
        guard exists != nil else { return [] }
        return try connection.rows("SELECT version FROM schema_migrations ORDER BY version").compactMap {
            $0.int("version")
        }
    }

    /// Brings the schema up to date. Refuses, without touching anything, a database
    /// whose schema is newer than the newest migration known here.
    @discardableResult
    public func migrate(_ connection: Connection, now: Double) throws -> [Migration] {
        let applied = try appliedVersions(in: connection)
        if let newest = applied.last, newest > latestVersion {
            throw MigrationError.databaseNewerThanProgram(databaseVersion: newest, programVersion: latestVersion)
        }
        var ran: [Migration] = []
        for migration in migrations where !applied.contains(migration.version) {
            try connection.transaction {
                // Re-check inside the write lock: another process may have just applied it.
                try connection.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at REAL NOT NULL)"
                )
                let already = try connection.row(
                    "SELECT 1 FROM schema_migrations WHERE version = ?", [migration.version])
                guard already == nil else { return }
                try connection.execute(migration.sql)
                try connection.run(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    [migration.version, migration.name, now])
                ran.append(migration)
            }
        }
        return ran
    }
}
