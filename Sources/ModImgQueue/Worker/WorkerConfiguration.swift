import Foundation

/// Points in a job's life where a test can stop the process, to prove resume works.
public enum WorkerCheckpoint: String, Sendable {
    /// `add` answered and its `upload_url` is committed; the upload has not started.
    case afterAddCommitted = "after-add-commit"
    /// An `add` made ahead (while the mod's previous upload is in flight) is committed; the job is not given back yet.
    case afterAddAheadCommitted = "after-add-ahead-commit"
    /// The job's file was opened and its size and SHA1 checked (not yet sent); passed where
    /// that check ran, off the slots' executor.
    case afterFileChecked = "after-file-check"
}

public struct WorkerConfiguration: Sendable {
    /// Recorded with every claim: lets a worker on the same host recognise a dead holder.
    public var holder: ClaimHolder = .current
    /// How the worker tells whether a claim's process on this host is still running.
    public var processProbe: any ProcessProbe = ProcessTable()
    public var leaseSeconds: Double = 120
    public var concurrency: Int = 1
    /// Keep waiting for new jobs instead of exiting when the queue is finished.
    public var follow = false
    /// How often an idle slot looks for work.
    public var pollInterval: Double = 0.05
    /// How often an idle worker looks for claims of dead processes on its host.
    public var deadHolderScanInterval: Double = 2
    /// How often a busy worker reads the signals other workers raise (e.g. a refused key).
    public var signalInterval: Double = 1
    /// Where the slots run, if not on Swift's global executor: `QueueDatabase.executor` lets
    /// them reach the database without a thread switch per call. A job's file checks and portal
    /// calls (hashing, multipart bodies, answers) never run here but on the global executor
    /// (see `OffDatabase`), so `concurrency` slots hash and send in parallel.
    public var executor: (any TaskExecutor)?
    public var retryPolicy: RetryPolicy = .default
    /// How many times an upload may go back to `add` after its `upload_url` was refused.
    public var maxReadds = 3
    /// How far the portal's public listing may lag behind its writes: an image not listed is
    /// looked for once more after this long before it is sent again.
    public var listingLagSeconds: Double = 5
    /// How long a request in flight may still take once the worker is asked to stop; past it,
    /// the request is abandoned and its job released (an upload it may have sent is looked for
    /// in the gallery before it is sent again).
    public var stopGraceSeconds: Double = 2

    public init() {}
}

/// What one run of the worker did.
public struct WorkerReport: Sendable, Equatable {
    public var done = 0
    public var failed = 0
    /// Retries this run scheduled (each one a failed attempt that will be tried again).
    public var retriesScheduled = 0
    public var stopCause: StopCause?

    public init() {}
}

/// Why a worker stopped before the queue was finished.
public enum StopCause: Sendable, Equatable {
    /// SIGINT/SIGTERM or `Worker.stop()`.
    case requested
    /// No API key was given.
    case missingApiKey
    /// The portal refused the key (here or in another worker on this database); its message.
    case apiKeyRejected(String)
    /// The database failed in a way waiting does not cure (not a busy lock): a sentence saying how.
    case databaseFailed(String)
}
