import Foundation
import ModImgQueue
import ModPortal

/// The one line a terminal shows while `work` runs, and the minute summary written instead
/// when stderr is not a terminal; both read only the run's progress.
enum ProgressLine {
    /// e.g. `17/50 done · 1 failed · 34 requests at 2/s · ETA 0:43 · now belt-colours/02.png`,
    /// or, when nothing runs, the wait and its reason instead of what is in flight. `eta`: the
    /// seconds left as shown (smoothed by the display), nil once nothing is left.
    static func text(_ progress: RunProgress, now: Double, rate: Rate, eta seconds: Double?, heldElsewhere: [HeldJob] = []) -> String {
        var parts = ["\(progress.done)/\(progress.total) done"]
        if progress.failed > 0 { parts.append("\(progress.failed) failed") }
        parts.append("\(progress.requests) request\(progress.requests == 1 ? "" : "s") at \(rate)")
        if let seconds { parts.append("ETA \(eta(seconds))") }
        if let current = current(progress, now: now, heldElsewhere: heldElsewhere) { parts.append(current) }
        return parts.joined(separator: " · ")
    }

    /// `HH:MM:SS progress: …` for logs and pipes.
    static func summary(_ progress: RunProgress, now: Double, rate: Rate, eta: Double?) -> String {
        "progress: " + text(progress, now: now, rate: rate, eta: eta)
    }

    /// What is in flight, else why nothing is.
    static func current(_ progress: RunProgress, now: Double, heldElsewhere: [HeldJob] = []) -> String? {
        let running = progress.inFlight.sorted { $0.key < $1.key }.map { RunLines.name($0.value.mod, $0.value.file) }
        if let first = running.first {
            return "now " + first + (running.count > 1 ? " +\(running.count - 1)" : "")
        }
        if let paused = progress.portalPausedUntil, paused > now {
            return "paused by the portal until \(Clock.moment(paused, now: now))"
        }
        if let waiting = progress.waiting {
            let until = waiting.until.map { " until \(Clock.moment($0, now: now))" } ?? ""
            switch waiting.reason {
            case .requestBudget: return "waiting for the request budget\(until)"
            case .databaseBusy: return "waiting for another process's lock on the database"
            case .nothingRunnable: break
            }
        }
        if let retry = progress.nextRetry {
            return "retrying \(retry.mod) in \(Clock.duration(retry.at - now)): \(retry.code)"
        }
        if progress.waiting?.reason == .nothingRunnable {
            guard let first = heldElsewhere.first else { return "waiting: the open jobs are held by another worker" }
            return "waiting for job \(first.job)'s claim (held by \(first.holder) until \(Clock.moment(first.until, now: now)))"
                + (heldElsewhere.count > 1 ? " and \(heldElsewhere.count - 1) more" : "")
        }
        return nil
    }

    /// `0:43`, `12:05`, `3:04:10`.
    static func eta(_ seconds: Double) -> String {
        let total = max(0, seconds.wholeClamped())
        let (h, m, s) = (total / 3600, total / 60 % 60, total % 60)
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%d:%02d", m, s)
    }
}
