import Foundation
import ModImgQueue

/// `work --events json`: one JSON object per event, one per line, on stdout. Every object has
/// `at` (ISO 8601 with the local offset, as every time in the JSON output) and `event`; the other keys depend on the event (see README).
enum EventJSON {
    /// `databaseWait`, the longest wait for the database so far, goes in the `finished` event.
    static func line(for event: WorkerEvent, at: Double, databaseWait: Double = 0) -> String? {
        var object: [String: Any] = ["at": Timestamps.format(at)]
        switch event {
        case .claimed(let job, let mod, let kind, let file):
            object.merge(["event": "claimed", "job": job, "mod": mod, "kind": kind.rawValue, "file": file ?? NSNull()]) { $1 }
        case .requestSent(let job, let mod, let call):
            object.merge(["event": "request", "job": job, "mod": mod, "call": call.rawValue]) { $1 }
        case .added(let job, let mod):
            object.merge(["event": "added", "job": job, "mod": mod]) { $1 }
        case .uploaded(let job, let mod, let file, let imageID):
            object.merge(["event": "uploaded", "job": job, "mod": mod, "file": file, "id": imageID]) { $1 }
        case .alreadyInGallery(let job, let mod, let file, let imageID):
            object.merge(["event": "already_in_gallery", "job": job, "mod": mod, "file": file, "id": imageID]) { $1 }
        case .reordered(let job, let mod, let images):
            object.merge(["event": "reordered", "job": job, "mod": mod, "images": images]) { $1 }
        case .goingBackToAdd(let job, let mod, let reason):
            object.merge(["event": "readd", "job": job, "mod": mod, "reason": reason]) { $1 }
        case .retryScheduled(let job, let mod, let failure, let retryAt):
            object.merge(["event": "retry", "job": job, "mod": mod, "error": failure.description, "retry_at": Timestamps.format(retryAt)]) { $1 }
        case .failed(let job, let mod, let failure, let next):
            object.merge(
                ["event": "failed", "job": job, "mod": mod, "error": failure.description, "next": next.text, "retry_helps": next.retryHelps]
            ) { $1 }
        case .modFailed(let mod, let jobs, let failure, let next):
            object.merge(
                [
                    "event": "mod_failed", "mod": mod, "jobs": jobs, "error": failure.description, "next": next.text,
                    "retry_helps": next.retryHelps,
                ]) { $1 }
        case .claimLost(let job, let mod):
            object.merge(["event": "claim_lost", "job": job, "mod": mod]) { $1 }
        case .released(let job, let mod):
            object.merge(["event": "released", "job": job, "mod": mod]) { $1 }
        case .deadClaimsReleased(let jobs):
            object.merge(["event": "dead_claims_released", "jobs": jobs]) { $1 }
        case .waiting(let reason, let until):
            let name =
                switch reason {
                case .requestBudget: "request_budget"
                case .nothingRunnable: "nothing_runnable"
                case .databaseBusy: "database_busy"
                }
            object.merge(["event": "waiting", "reason": name, "until": until.map(Timestamps.format) ?? NSNull()]) { $1 }
        case .stopping(let cause):
            object.merge(["event": "stopping", "cause": String(describing: cause)]) { $1 }
        case .portalPaused(let until):
            object.merge(["event": "portal_paused", "until": Timestamps.format(until)]) { $1 }
        case .idle:
            object["event"] = "idle"
        case .finished(let report):
            object.merge(
                ["event": "finished", "done": report.done, "failed": report.failed, "longest_database_wait": databaseWait]) { $1 }
        }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
