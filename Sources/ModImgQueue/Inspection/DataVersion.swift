import Foundation

extension QueueDatabase {
    /// SQLite's `PRAGMA data_version` on this connection: it changes whenever another
    /// connection (another process, or another `QueueDatabase` in this one) commits a change.
    public func dataVersion() async throws -> Int {
        try await read { db in try db.row("PRAGMA data_version")?.int("data_version") ?? 0 }
    }
}
