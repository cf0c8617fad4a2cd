import Foundation

/// The right to act on one job, for one run of it in one slot. Every write about the job names
/// its claim and succeeds only while the job still carries this token, is in the state the
/// write expects and the lease has not run out: a stalled, racing or restarted holder can
/// never act on a job it no longer holds.
public struct Claim: Sendable, Equatable {
    /// Unique to this claim, not to the process: two slots of one process never share one.
    public let token: String
    /// The job as it was when claimed, with its state kept up to date by the writes made through this claim.
    public internal(set) var job: Job
    /// When the lease runs out unless confirmed again (wall-clock seconds).
    public internal(set) var expiresAt: Double
    /// Claimed only to make its `add` while the mod's previous upload is in flight: the job is
    /// given back once its `upload_url` is stored, and uploads when it is the mod's oldest open job.
    public let addAhead: Bool

    public init(token: String, job: Job, expiresAt: Double, addAhead: Bool = false) {
        self.token = token
        self.job = job
        self.expiresAt = expiresAt
        self.addAhead = addAhead
    }
}

/// The claim was cleared (cancelled by the user, expired, taken over) or the job is not in the
/// state the write expected: the holder must drop the job and send nothing more for it.
public struct ClaimLost: Error, Equatable, CustomStringConvertible {
    public let jobID: Int64

    public init(jobID: Int64) {
        self.jobID = jobID
    }

    public var description: String { "the claim on job \(jobID) is no longer held" }
}
