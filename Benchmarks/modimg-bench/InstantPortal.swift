import Foundation
import ModImgQueue
import ModPortal

/// A portal that answers at once, so a worker run measures the queue store alone.
struct InstantPortal: PortalClient {
    let base = URL(string: "http://127.0.0.1:9")!

    func add(mod: String) async throws(PortalError) -> URL {
        base.appendingPathComponent("api/v2/mods/images/upload/\(mod)")
    }

    func upload(_ upload: ImageUpload, to uploadURL: URL) async throws(PortalError) -> PortalImage {
        guard let id = ImageFile.sha1(of: upload) else { throw .transport("unreadable") }
        return PortalImage(id: id, url: "\(base)/assets/\(id).png", thumbnail: "\(base)/assets/\(id).thumb.png")
    }

    func edit(mod: String, imageIDs: [String]) async throws(PortalError) -> [PortalImage] {
        imageIDs.map { PortalImage(id: $0, url: "\(base)/assets/\($0).png", thumbnail: "\(base)/assets/\($0).thumb.png") }
    }

    func gallery(mod: String) async throws(PortalError) -> [PortalImage] { [] }
}

extension Worker {
    /// A worker on `database` against the instant portal, with one slot on the database's
    /// queue, polling every millisecond and a budget that never makes it wait.
    static func instant(on database: QueueDatabase) -> Worker {
        var configuration = WorkerConfiguration()
        configuration.pollInterval = 0.001
        configuration.executor = database.executor
        return Worker(
            store: SQLiteJobStore(database: database), portal: InstantPortal(),
            budget: SQLiteRequestBudget(database: database, limit: CellRateLimit(rate: Rate(count: 100_000, period: 1))),
            clock: SystemClock(), configuration: configuration)
    }
}
