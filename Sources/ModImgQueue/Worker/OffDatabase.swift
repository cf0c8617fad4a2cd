import Foundation
import ModPortal

/// Where a job's CPU work runs. The slots prefer `WorkerConfiguration.executor` (in `work`, the
/// database's serial queue), so that their claims, budget charges and records reach the
/// database without a thread switch each. Everything else a job does — checking its file's
/// SHA1, every portal call with its multipart body streamed and hashed and its answer decoded —
/// runs on Swift's global concurrent executor instead: slots hash and send in parallel, and
/// none of it holds the database's one thread, so no slot's database call waits behind
/// another slot's 20 MiB screenshot.
enum OffDatabase {
    static func run<T, Failure: Error>(_ body: () async throws(Failure) -> T) async throws(Failure) -> T {
        try await withTaskExecutorPreference(globalConcurrentExecutor, operation: body)
    }
}

/// A portal whose every call runs off the slots' executor (see `OffDatabase`). `Worker` wraps
/// the portal it is given in one, so no runner can forget it.
struct OffDatabasePortal: PortalClient {
    let base: any PortalClient

    func add(mod: String) async throws(PortalError) -> URL {
        try await OffDatabase.run { () async throws(PortalError) -> URL in try await base.add(mod: mod) }
    }

    func upload(_ upload: ImageUpload, to uploadURL: URL) async throws(PortalError) -> PortalImage {
        try await OffDatabase.run { () async throws(PortalError) -> PortalImage in try await base.upload(upload, to: uploadURL) }
    }

    func edit(mod: String, imageIDs: [String]) async throws(PortalError) -> [PortalImage] {
        try await OffDatabase.run { () async throws(PortalError) -> [PortalImage] in
            try await base.edit(mod: mod, imageIDs: imageIDs)
        }
    }

    func gallery(mod: String) async throws(PortalError) -> [PortalImage] {
        try await OffDatabase.run { () async throws(PortalError) -> [PortalImage] in try await base.gallery(mod: mod) }
    }
}
