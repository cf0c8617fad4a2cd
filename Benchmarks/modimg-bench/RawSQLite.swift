import CSQLite
import Foundation

/// The reference side of the queue-overhead figures: the same statements through
/// libsqlite3's C API directly, prepared once, no Swift wrapper, no worker.
final class RawSQLite {
    let db: OpaquePointer
    private var statements: [String: OpaquePointer] = [:]

    init(path: String) {
        var handle: OpaquePointer?
        sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil)
        db = handle!
        exec("PRAGMA journal_mode = WAL")
        exec("PRAGMA synchronous = FULL")
        exec("PRAGMA foreign_keys = ON")
    }

    deinit {
        for statement in statements.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(db)
    }

    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(db) }

    func exec(_ sql: String) {
        precondition(sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK, String(cString: sqlite3_errmsg(db)))
    }

    /// Runs `sql` with text, integer and real parameters; returns the first column of the first row, if any.
    @discardableResult
    func run(_ sql: String, _ values: [Any?] = []) -> Int64? {
        let statement: OpaquePointer
        if let cached = statements[sql] {
            statement = cached
        } else {
            var prepared: OpaquePointer?
            precondition(sqlite3_prepare_v2(db, sql, -1, &prepared, nil) == SQLITE_OK, String(cString: sqlite3_errmsg(db)))
            statement = prepared!
            statements[sql] = statement
        }
        sqlite3_reset(statement)
        for (index, value) in values.enumerated() {
            let position = Int32(index + 1)
            switch value {
            case let text as String: sqlite3_bind_text(statement, position, text, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
            case let number as Int64: sqlite3_bind_int64(statement, position, number)
            case let number as Int: sqlite3_bind_int64(statement, position, Int64(number))
            case let number as Double: sqlite3_bind_double(statement, position, number)
            default: sqlite3_bind_null(statement, position)
            }
        }
        var first: Int64?
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_ROW {
                if first == nil { first = sqlite3_column_int64(statement, 0) }
                continue
            }
            precondition(code == SQLITE_DONE, String(cString: sqlite3_errmsg(db)))
            break
        }
        return first
    }
}
