import Foundation
import Logging
import ModImgQueue

/// The worker's events as log lines on stderr.
struct WorkLog {
    let logger: Logger

    func render(_ events: AsyncStream<WorkerEvent>) async {
        for await event in events { log(event) }
    }

    private func log(_ event: WorkerEvent) {
        switch event {
        case .claimed(let job, let mod, let kind):
            logger.debug("claimed job", metadata: ["job": "\(job)", "kind": "\(kind.rawValue)", "mod": "\(mod)"])
        case .requestSent(let job, let mod, let call):
            logger.debug("sending \(call.rawValue)", metadata: ["job": "\(job)", "mod": "\(mod)"])
        case .added(let job, let mod):
            logger.info("add succeeded", metadata: ["job": "\(job)", "mod": "\(mod)"])
        case .uploaded(let job, let mod, let file, let imageID):
            logger.info("uploaded \((file as NSString).lastPathComponent)", metadata: ["job": "\(job)", "mod": "\(mod)", "id": "\(imageID)"])
        case .alreadyInGallery(let job, let mod, let file, let imageID):
            logger.info(
                "\((file as NSString).lastPathComponent) was already in the gallery", metadata: ["job": "\(job)", "mod": "\(mod)", "id": "\(imageID)"])
        case .reordered(let job, let mod, let images):
            logger.info("reordered", metadata: ["job": "\(job)", "mod": "\(mod)", "images": "\(images)"])
        case .goingBackToAdd(let job, let mod, let reason):
            logger.notice("\(reason)", metadata: ["job": "\(job)", "mod": "\(mod)"])
        case .retryScheduled(let job, let mod, let failure, let at):
            logger.notice(
                "failed, will retry at \(Timestamps.format(at))", metadata: ["job": "\(job)", "mod": "\(mod)", "error": "\(failure.description)"])
        case .failed(let job, let mod, let failure):
            logger.warning("job failed", metadata: ["job": "\(job)", "mod": "\(mod)", "error": "\(failure.description)"])
        case .modFailed(let mod, let jobs, let failure):
            logger.warning("failed the other \(jobs.count) jobs of \(mod) without trying them: \(failure.code.rawValue)")
        case .claimLost(let job, let mod):
            logger.warning("the claim on job \(job) is no longer held here (cancelled, expired or taken over); nothing more is sent for it", metadata: ["mod": "\(mod)"])
        case .released(let job, let mod):
            logger.debug("released job", metadata: ["job": "\(job)", "mod": "\(mod)"])
        case .deadClaimsReleased(let jobs):
            logger.notice("took over jobs \(jobs.map(String.init).joined(separator: ", ")) from a worker on this host that is gone")
        case .waiting(let reason, let until):
            let when = until.map { " until \(Timestamps.format($0))" } ?? ""
            switch reason {
            case .requestBudget: logger.info("waiting for the request budget\(when)")
            case .nothingRunnable: logger.info("waiting\(when): every open job is backing off or held by another worker")
            case .databaseBusy: logger.notice("waiting for another process's lock on the database")
            }
        case .stopping(let cause):
            if cause == .requested { logger.notice("stopping: finishing the requests in flight") }
        case .finished:
            break
        }
    }
}
