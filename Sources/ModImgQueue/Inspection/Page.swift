import SQLiteStore

/// One page of a list read by keyset pagination on a row id: never `OFFSET`, so every page costs
/// the same however deep into the list it is, and a row inserted or deleted meanwhile neither
/// shifts a later page nor shows twice.
public struct Page<Item: Sendable>: Sendable {
    public let items: [Item]
    /// The cursor of the page after this one (the last row's id); nil when there is none.
    public let next: Int64?

    public init(items: [Item], next: Int64?) {
        self.items = items
        self.next = next
    }
}

/// Which page of a list ordered by row id to read.
public struct PageRequest: Sendable, Equatable {
    /// What a page holds when the caller does not say.
    public static let defaultLimit = 100
    /// The most a page may hold: one answer stays small whatever the size of the queue.
    public static let maximumLimit = 1_000

    /// Only rows past this id: below it newest first, above it oldest first. Nil: from the start.
    public var cursor: Int64?
    public var limit: Int
    public var oldestFirst: Bool

    public init(cursor: Int64? = nil, limit: Int = defaultLimit, oldestFirst: Bool = false) {
        self.cursor = cursor
        self.limit = limit
        self.oldestFirst = oldestFirst
    }

    /// The SQL that keeps the rows past the cursor and orders them, for a table whose row id is
    /// `column`, with its binding (none without a cursor).
    func keyset(_ column: String) -> (condition: String?, order: String, bindings: [any SQLiteBindable]) {
        let order = "ORDER BY \(column) \(oldestFirst ? "ASC" : "DESC")"
        guard let cursor else { return (nil, order, []) }
        return ("\(column) \(oldestFirst ? ">" : "<") ?", order, [cursor])
    }

    /// `rows` read with a limit one above `limit`: the page, and the next cursor if the extra row came.
    func page<Item>(_ rows: [(id: Int64, item: Item)]) -> Page<Item> {
        let kept = rows.prefix(limit)
        return Page(items: kept.map(\.item), next: rows.count > limit ? kept.last?.id : nil)
    }
}
