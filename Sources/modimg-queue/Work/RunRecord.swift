import ModImgQueue
import ModPortal

/// What one `work` run did, kept from its events for the reports written at its end
/// (`--summary-file`, GitHub annotations): the images uploaded per mod, and the jobs that
/// failed for a passing reason and then got through.
struct RunRecord: Sendable, Equatable {
    struct Upload: Sendable, Equatable {
        let file: String
        let imageID: String
    }

    /// A job retried after transient failures that then succeeded.
    struct Recovery: Sendable, Equatable {
        let job: Int64
        let mod: String
        /// The last failure before it got through.
        let failure: JobFailure
        let retries: Int
    }

    /// Per mod, in the order the uploads landed.
    private(set) var uploads: [String: [Upload]] = [:]
    private(set) var recoveries: [Recovery] = []
    private var retrying: [Int64: (mod: String, failure: JobFailure, count: Int)] = [:]

    mutating func apply(_ event: WorkerEvent) {
        switch event {
        case .retryScheduled(let job, let mod, let failure, _):
            retrying[job] = (mod, failure, (retrying[job]?.count ?? 0) + 1)
        case .uploaded(let job, let mod, let file, let imageID):
            uploads[mod, default: []].append(Upload(file: file, imageID: imageID))
            recovered(job)
        case .alreadyInGallery(let job, _, _, _), .reordered(let job, _, _):
            recovered(job)
        case .failed(let job, _, _, _):
            retrying[job] = nil
        default:
            break
        }
    }

    private mutating func recovered(_ job: Int64) {
        guard let retried = retrying.removeValue(forKey: job) else { return }
        recoveries.append(Recovery(job: job, mod: retried.mod, failure: retried.failure, retries: retried.count))
    }

    static func == (a: RunRecord, b: RunRecord) -> Bool { a.uploads == b.uploads && a.recoveries == b.recoveries }
}

/// Collects the run's record from the event stream, read once the run is over.
actor RunRecorder {
    private(set) var record = RunRecord()

    func apply(_ event: WorkerEvent) { record.apply(event) }
}
