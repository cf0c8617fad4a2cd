import Foundation

/// What the worker does, as it does it. The CLI's log lines (and any progress display or
/// JSON event log) are renderings of this stream.
public enum WorkerEvent: Sendable, Equatable {
    /// `file` is the upload's file, nil for a reorder.
    case claimed(job: Int64, mod: String, kind: JobKind, file: String?)
    case requestSent(job: Int64, mod: String, call: PortalCall)
    case added(job: Int64, mod: String)
    case uploaded(job: Int64, mod: String, file: String, imageID: String)
    case alreadyInGallery(job: Int64, mod: String, file: String, imageID: String)
    case reordered(job: Int64, mod: String, images: Int)
    case goingBackToAdd(job: Int64, mod: String, reason: String)
    case retryScheduled(job: Int64, mod: String, failure: JobFailure, at: Double)
    /// `next` is what the user does about it (the same advice `status --failed` and `log` give).
    case failed(job: Int64, mod: String, failure: JobFailure, next: NextStep)
    /// Other open jobs of a mod failed without a request (the portal said the mod is unknown or not ours).
    case modFailed(mod: String, jobs: [Int64], failure: JobFailure, next: NextStep)
    /// The claim was cleared or taken over, or its lease ran out: nothing more is sent for the job here.
    case claimLost(job: Int64, mod: String)
    /// Given back untouched because the worker is stopping.
    case released(job: Int64, mod: String)
    /// Claims of processes that are gone, freed at once instead of after their lease.
    case deadClaimsReleased(jobs: [Int64])
    case waiting(reason: WaitReason, until: Double?)
    /// The portal asked (`Retry-After`) that no request be sent before `until` (capped); every worker on the database waits.
    case portalPaused(until: Double)
    case stopping(StopCause)
    /// With `follow`: the queue has no open job left (sent once each time it drains).
    case idle
    case finished(WorkerReport)
}

/// The portal call a request is for.
public enum PortalCall: String, Sendable, Equatable {
    case add, upload, edit
    case gallery = "gallery lookup"
}

public enum WaitReason: Sendable, Equatable {
    /// The shared request budget (the rate limit, or a portal's `Retry-After` pause).
    case requestBudget
    /// Every open job is backing off or held by another worker's claim.
    case nothingRunnable
    /// Another process holds the database's write lock.
    case databaseBusy
}
