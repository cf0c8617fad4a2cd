import Foundation
import ModPortal

/// What the worker needs from the queue's storage. `SQLiteJobStore` is the real one.
/// Every write about a job names its `Claim` and throws `ClaimLost` unless, in the same
/// statement, the job still carries the claim's token, is in the state the write expects and
/// the lease has not run out at `now`.
public protocol JobStore: Sendable {
    /// Claims the next runnable job: the oldest open job of its mod, unclaimed (or its lease
    /// run out), not backing off, not waiting on an open dependency.
    func claim(by holder: ClaimHolder, now: Double, leaseSeconds: Double) async throws -> Claim?
    /// Confirms the claim is still held and extends its lease to `now + leaseSeconds`, in one
    /// short transaction. Returns the extended claim, or nil if it is gone.
    func confirm(_ claim: Claim, now: Double, leaseSeconds: Double) async throws -> Claim?
    /// `queued` → `added`, storing the `upload_url` (committed before the upload starts).
    func recordAdded(_ claim: Claim, uploadURL: URL, now: Double) async throws -> Claim
    /// `added` → `done`, recording the image in the mod's history; the claim ends.
    func recordUploaded(_ claim: Claim, image: PortalImage, reason: String, now: Double) async throws
    /// `queued` or `added` → `done` for an upload found in the mod's gallery before anything was
    /// sent again (an earlier attempt landed with its answer lost); the claim ends.
    func recordFoundInGallery(_ claim: Claim, image: PortalImage, reason: String, now: Double) async throws
    /// `queued` → `done` for a reorder whose `edit` set `gallery`, taking out `removed` (images
    /// only the listing showed), both kept in the mod's gallery model; the claim ends.
    func recordReordered(_ claim: Claim, gallery: [String], removed: [String], now: Double) async throws
    /// The gallery this queue expects the mod to have, from every change it made (see `GalleryModel`).
    func galleryModel(mod: String) async throws -> GalleryModel
    /// `added` → `queued` without the stored `upload_url`, to `add` again; the claim ends.
    func restartUpload(_ claim: Claim, reason: String, now: Double) async throws
    /// Stays in its state, to be tried again at `retryAt`; the failure is counted; the claim ends.
    func scheduleRetry(_ claim: Claim, retryAt: Double, failure: JobFailure, now: Double) async throws
    /// → `failed`; the claim ends.
    func fail(_ claim: Claim, failure: JobFailure, now: Double) async throws
    /// Fails every other open job of the claim's mod that no live claim holds, without a
    /// request: the portal said the mod is unknown or not ours. Returns their ids.
    func failOtherOpenJobs(of claim: Claim, failure: JobFailure, now: Double) async throws -> [Int64]
    /// Gives the job back untouched, e.g. when the worker stops; the claim ends.
    func release(_ claim: Claim, reason: String, now: Double) async throws
    /// Clears the live claims of `holder.host` whose process is gone, so their jobs can be
    /// claimed at once instead of after their lease. Returns the jobs freed.
    func releaseClaimsOfDeadProcesses(on host: String, probe: any ProcessProbe, now: Double) async throws -> [Int64]
    /// What is left to do, to decide whether to wait or to stop.
    func openWork(now: Double) async throws -> OpenWork
    /// The jobs a reorder waits for, with their states (empty when it waits for none).
    func dependencies(ofJob jobID: Int64) async throws -> [(job: Int64, state: JobState)]
    /// Records a fact every worker on the database must heed (e.g. the key was refused).
    func raiseSignal(_ signal: WorkerSignal, detail: String, now: Double) async throws
    /// The signal's time and detail, if it was raised.
    func signal(_ signal: WorkerSignal) async throws -> (at: Double, detail: String)?
    /// Withdraws the signal if it was raised before `raisedBefore` (a later one still stands).
    func clearSignal(_ signal: WorkerSignal, raisedBefore: Double) async throws
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
