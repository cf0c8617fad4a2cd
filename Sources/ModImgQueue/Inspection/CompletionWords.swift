import Foundation
import SQLiteStore

/// What the shell completions offer from a queue: its mods and job ids. Read through a
/// read-only connection of its own (never creating, migrating or writing the file), and quiet:
/// no queue, or one that cannot be read, offers nothing rather than an error in the middle
/// of a command line.
public enum CompletionWords {
    /// Which jobs a job-id argument offers.
    public enum Jobs: Sendable {
        /// Every job (`log`).
        case all
        /// Jobs in one of these states (`retry`: failed; `cancel`: queued and failed).
        case inStates([JobState])
    }

    /// How many ids are offered at most: the newest, since those are the ones asked about.
    static let idLimit = 500

    /// The mods with jobs or uploaded images, by name, that start with `prefix`.
    public static func mods(database path: String, prefix: String = "") -> [String] {
        read(path) { connection throws(SQLiteError) in
            let rows = try connection.rows(
                """
                SELECT mod FROM job_counts WHERE n > 0 AND substr(mod, 1, length(?1)) = ?1
                UNION SELECT mod FROM images WHERE substr(mod, 1, length(?1)) = ?1
                ORDER BY mod
                """, [prefix])
            // A name with a line break or an escape sequence would break the shell's list (or its terminal).
            return rows.compactMap { $0.string("mod") }.filter { !$0.unicodeScalars.contains(where: CharacterSet.controlCharacters.contains) }
        }
    }

    /// Job ids, newest first, that start with `prefix` (digits).
    public static func jobIDs(database path: String, _ jobs: Jobs, prefix: String = "") -> [String] {
        guard prefix.allSatisfy(\.isASCIIDigit) else { return [] }
        return read(path) { connection throws(SQLiteError) in
            var sql = "SELECT id FROM jobs WHERE CAST(id AS TEXT) GLOB ?"
            var values: [any SQLiteBindable] = [prefix + "*"]
            if case .inStates(let states) = jobs {
                sql += " AND state IN (" + states.map { _ in "?" }.joined(separator: ", ") + ")"
                values += states.map { $0.rawValue as any SQLiteBindable }
            }
            let rows = try connection.rows(sql + " ORDER BY id DESC LIMIT \(idLimit)", values)
            return rows.compactMap { $0.int("id").map { String($0) } }
        }
    }

    private static func read(_ path: String, _ body: (Connection) throws(SQLiteError) -> [String]) -> [String] {
        guard FileManager.default.isReadableFile(atPath: path) else { return [] }
        do {
            let connection = try Connection(path: path, busyTimeoutMilliseconds: 200, readOnly: true)
            return try body(connection)
        } catch {
            return []
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
