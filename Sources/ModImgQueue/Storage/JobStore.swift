import Foundation
import ModPortal

/// What the worker needs from the queue's storage. `SQLiteJobStore` is the real one.
/// Every call that changes a job names the lease owner and fails with `leaseLost`
/// if the job is no longer leased to it.
public protocol JobStore: Sendable {
    /// Leases the next runnable job: the oldest open job of its mod, not leased, not backing off.
    func claim(owner: String, now: Double, leaseSeconds: Double) throws -> Job?
    /// Extends a lease. Returns false if the lease was lost.
    func renewLease(jobID: Int64, owner: String, until: Double) throws -> Bool
    /// `queued` → `added`, storing the `upload_url` (committed before the upload starts).
    func recordAdded(jobID: Int64, owner: String, uploadURL: URL, now: Double) throws
    /// `added` → `done`, recording the image in the mod's history.
    func recordUploaded(jobID: Int64, owner: String, image: PortalImage, reason: String, now: Double) throws
    /// `queued` → `done` for a reorder.
    func recordReordered(jobID: Int64, owner: String, now: Double) throws
    /// Back to `queued` without the stored `upload_url`, to `add` again.
    func restartUpload(jobID: Int64, owner: String, reason: String, now: Double) throws
    /// Stays in its state, to be tried again at `retryAt`; the failure is counted.
    func scheduleRetry(jobID: Int64, owner: String, retryAt: Double, errorCode: String, errorMessage: String, now: Double) throws
    /// → `failed`.
    func fail(jobID: Int64, owner: String, errorCode: String, errorMessage: String, now: Double) throws
    /// Gives the job back untouched, e.g. when the worker stops.
    func release(jobID: Int64, owner: String, reason: String, now: Double) throws
    /// What is left to do, to decide whether to wait or to stop.
    func openWork(now: Double) throws -> OpenWork
    /// The jobs a reorder waits for, with their states (empty when it waits for none).
    func dependencies(ofJob jobID: Int64) throws -> [(job: Int64, state: JobState)]
    /// Fails every open job of `mod` that no other worker holds, without a request: the
    /// portal said the mod is unknown or not ours. Returns how many.
    func failOpenJobs(ofMod mod: String, owner: String, errorCode: String, errorMessage: String, now: Double) throws -> Int
    /// Records a fact every worker on the database must heed (e.g. the key was refused).
    func raiseSignal(_ signal: WorkerSignal, detail: String, now: Double) throws
    /// The signal's time and detail, if it was raised.
    func signal(_ signal: WorkerSignal) throws -> (at: Double, detail: String)?
}

/// Facts shared between the workers of one database.
public enum WorkerSignal: String, Sendable {
    /// The portal answered `InvalidApiKey`: every worker started before then stops.
    case apiKeyRejected = "api-key-rejected"
}

/// A summary of the open (queued or added) jobs.
public struct OpenWork: Sendable, Equatable {
    public var openJobs: Int
    /// The earliest time at which some open job may become runnable (backoff end or lease expiry).
    public var nextRunnableAt: Double?

    public init(openJobs: Int, nextRunnableAt: Double?) {
        self.openJobs = openJobs
        self.nextRunnableAt = nextRunnableAt
    }
}

public enum JobStoreError: Error, Equatable, CustomStringConvertible {
    /// The lease expired and the job was taken by another worker; this worker must drop it.
    case leaseLost(jobID: Int64)

    public var description: String {
        switch self {
        case .leaseLost(let id): return "the lease on job \(id) was lost to another worker"
        }
    }
}
