import Foundation
import ModImgQueue
import ModPortal

/// One line of `work`'s output about one event, before colours and the time of day.
struct RunLine: Equatable {
    enum Level: Int, Comparable {
        case debug, info, warning
        static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    enum Tone { case plain, good, bad, notice }

    let level: Level
    let tone: Tone
    let text: String
}

/// The worker's events as short lines: one per finished job naming mod, file and id, one per
/// retry or failure naming its cause; steps of a job only with `--verbose`.
enum RunLines {
    /// `now`: when the line is written (a moment on another day is shown with its date).
    static func line(for event: WorkerEvent, now: Double) -> RunLine? {
        switch event {
        case .claimed(let job, let mod, let kind, let file):
            return RunLine(level: .debug, tone: .plain, text: "claimed job \(job): \(kind.rawValue) \(name(mod, file))")
        case .requestSent(let job, let mod, let call):
            return RunLine(level: .debug, tone: .plain, text: "sending \(call.rawValue) for job \(job) (\(mod))")
        case .added(let job, let mod):
            return RunLine(level: .debug, tone: .plain, text: "added job \(job) (\(mod)): upload_url stored")
        case .uploaded(_, let mod, let file, let imageID):
            return RunLine(level: .info, tone: .good, text: "uploaded  \(name(mod, file))  \(short(imageID))")
        case .alreadyInGallery(_, let mod, let file, let imageID):
            return RunLine(level: .info, tone: .good, text: "found     \(name(mod, file))  \(short(imageID)) (already in the gallery)")
        case .reordered(_, let mod, let images):
            return RunLine(level: .info, tone: .good, text: "reordered \(mod)  \(images) image\(images == 1 ? "" : "s")")
        case .goingBackToAdd(let job, let mod, let reason):
            return RunLine(level: .info, tone: .notice, text: "re-add    \(mod) job \(job): \(reason)")
        case .retryScheduled(let job, let mod, let failure, let at):
            return RunLine(
                level: .info, tone: .notice, text: "retry     \(mod) job \(job) at \(Clock.moment(at, now: now)): \(failure.description)")
        case .failed(let job, let mod, let failure, _):
            return RunLine(level: .warning, tone: .bad, text: "FAILED    \(mod) job \(job): \(failure.description)")
        case .modFailed(let mod, let jobs, let failure, _):
            return RunLine(
                level: .warning, tone: .bad,
                text: "FAILED    \(mod): \(jobs.count) more job\(jobs.count == 1 ? "" : "s") not tried (\(failure.code.rawValue))")
        case .claimLost(let job, let mod):
            return RunLine(
                level: .warning, tone: .notice,
                text: "the claim on job \(job) (\(mod)) is no longer held here (cancelled, expired or taken over); nothing more is sent for it")
        case .released(let job, let mod):
            return RunLine(level: .debug, tone: .plain, text: "released job \(job) (\(mod)) as it was")
        case .deadClaimsReleased(let jobs):
            return RunLine(
                level: .info, tone: .notice,
                text: "took over jobs \(jobs.map(String.init).joined(separator: ", ")) from a worker on this host that is gone")
        case .waiting(let reason, let until):
            let when = until.map { " until \(Clock.moment($0, now: now))" } ?? ""
            switch reason {
            case .requestBudget: return RunLine(level: .info, tone: .plain, text: "waiting for the request budget\(when)")
            case .nothingRunnable:
                return RunLine(level: .info, tone: .plain, text: "waiting\(when): every open job is backing off or held by another worker")
            case .databaseBusy: return RunLine(level: .info, tone: .notice, text: "waiting for another process's lock on the database")
            }
        case .portalPaused(let until):
            return RunLine(level: .info, tone: .notice, text: "paused by the portal until \(Clock.moment(until, now: now)): no request before then")
        case .stopping(let cause):
            guard cause == .requested else { return nil }
            return RunLine(
                level: .warning, tone: .notice,
                text: "stopping: finishing the requests in flight (abandoned after 2 s; a second signal ends at once)")
        case .idle:
            return RunLine(level: .info, tone: .plain, text: "the queue is drained; waiting for new jobs")
        case .finished:
            return nil
        }
    }

    /// `mod/file.png`, or the mod alone.
    static func name(_ mod: String, _ file: String?) -> String {
        file.map { "\(mod)/\(($0 as NSString).lastPathComponent)" } ?? mod
    }

    /// The first 12 characters of an image id: enough to tell images apart on a line.
    static func short(_ id: String) -> String { String(id.prefix(12)) }
}

/// Local times of day and durations, as `work` shows them.
enum Clock {
    static func timeOfDay(_ seconds: Double) -> String { LocalMoment.text(seconds, now: seconds) }

    /// A moment to come (or past), with its date when it is not on the local day of `now`.
    static func moment(_ seconds: Double, now: Double) -> String { LocalMoment.text(seconds, now: now) }

    /// `45 s`, `2m 13s`, `3h 05m`.
    static func duration(_ seconds: Double) -> String {
        let total = max(0, seconds.wholeClamped(rule: .toNearestOrAwayFromZero))
        if total < 60 { return "\(total) s" }
        if total < 3600 { return "\(total / 60)m \(String(format: "%02d", total % 60))s" }
        return "\(total / 3600)h \(String(format: "%02d", total / 60 % 60))m"
    }
}
