import CSQLite

/// One connection to a SQLite database file, with foreign keys on and a busy timeout
/// (`useWriteAheadLog()` then switches it to WAL). Not thread-safe: give each task or thread
/// its own connection.
public final class Connection {
    let handle: OpaquePointer
    public let path: String
    private var statementCache: [String: Statement] = [:]
    private let busyWait: BusyWait

    /// `busyTimeoutMilliseconds`: how long a writer waits for another writer's lock before
    /// failing with `SQLITE_BUSY`.
    /// `readOnly`: the file must exist and is never written (nor created).
    public init(path: String, busyTimeoutMilliseconds: Int32 = 5_000, readOnly: Bool = false) throws(SQLiteError) {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_URI | (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let code = sqlite3_open_v2(path, &db, flags, nil)
        guard code == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(code: code, message: message)
        }
        sqlite3_extended_result_codes(db, 1)
        self.handle = db
        self.path = path
        self.busyWait = BusyWait(timeoutMilliseconds: busyTimeoutMilliseconds)
        BusyWait.install(busyWait, on: db)
        try execute("PRAGMA foreign_keys = ON")
        // A file that is not a database only shows itself on first read, so read (only) here.
        try execute("PRAGMA schema_version")
    }

    /// WAL mode, with every commit synced: a committed transition survives power loss too.
    /// Switching a rollback-journal file to WAL writes to it, so callers that must leave a
    /// file untouched (one they are about to refuse) check it first.
    public func useWriteAheadLog() throws(SQLiteError) {
        try execute("PRAGMA journal_mode = WAL")
        try execute("PRAGMA synchronous = FULL")
    }

    deinit {
        statementCache.removeAll()
        sqlite3_commit_hook(handle, nil, nil)
        sqlite3_busy_handler(handle, nil, nil)
        commitHook?.release()
        sqlite3_close_v2(handle)
    }

    func error(code: Int32, sql: String?) -> SQLiteError {
        let extended = sqlite3_extended_errcode(handle)
        return SQLiteError(
            code: extended != 0 ? extended : code, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }

    /// Runs one or more statements that take no parameters (schema, pragmas).
    public func execute(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        if code != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_free(message)
            throw SQLiteError(code: sqlite3_extended_errcode(handle), message: text, sql: sql)
        }
    }

    /// A prepared statement for `sql`, prepared once per connection and reused.
    public func prepare(_ sql: String) throws(SQLiteError) -> Statement {
        if let cached = statementCache[sql] { return cached }
        let statement = try Statement(connection: self, sql: sql)
        statementCache[sql] = statement
        return statement
    }

    public func rows(_ sql: String, _ values: [any SQLiteBindable] = []) throws(SQLiteError) -> [Row] {
        try prepare(sql).rows(values)
    }

    public func row(_ sql: String, _ values: [any SQLiteBindable] = []) throws(SQLiteError) -> Row? {
        try rows(sql, values).first
    }

    public func run(_ sql: String, _ values: [any SQLiteBindable] = []) throws(SQLiteError) {
        try prepare(sql).run(values)
    }

    private var commitHook: Unmanaged<CommitHookBox>?

    /// Calls `hook` as each transaction commits, before it is durable (SQLite's commit hook).
    /// Used by crash tests to stop the process in the middle of a commit.
    public func setCommitHook(_ hook: (@Sendable () -> Void)?) {
        commitHook?.release()
        commitHook = nil
        guard let hook else {
            sqlite3_commit_hook(handle, nil, nil)
            return
        }
        let box = Unmanaged.passRetained(CommitHookBox(hook))
        commitHook = box
        sqlite3_commit_hook(
            handle,
            { context in
                guard let context else { return 0 }
                Unmanaged<CommitHookBox>.fromOpaque(context).takeUnretainedValue().hook()
                return 0
            }, box.toOpaque())
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`, rolling back if it throws.
    /// IMMEDIATE takes the write lock up front, so two writers never deadlock on upgrade.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }
}

private final class CommitHookBox {
    let hook: @Sendable () -> Void
    init(_ hook: @escaping @Sendable () -> Void) { self.hook = hook }
}
