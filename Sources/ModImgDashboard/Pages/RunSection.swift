import Foundation
import ModImgQueue

/// The overview's run at a glance: the current run's progress and ETA, folded from the queue's
/// log as `work` folds its events (`RunActivity`), then the jobs finished and the requests sent
/// per minute as charts.
struct RunSection {
    let activity: RunActivity
    /// Jobs queued or added now.
    let open: Int
    let now: Double

    var html: HTML {
        """
        <h2>Run</h2>
        \(summary)
        \(ActivityChart(activity: activity, now: now).svg)
        \(ActivityChart(activity: activity, now: now).requestsSVG)
        <p class="muted small">Read from the queue's log of state changes: a run is the activity since the log last \
        paused for \(Int(RunActivity.idleGap / 60)) minutes (at most \(Int(RunActivity.window / 3600)) hours back); its total \
        is what it finished plus what is open, cancelled jobs left out. Requests are those the request budget let through, \
        counted per minute (every worker and verify on this queue).</p>
        """
    }

    private var summary: HTML {
        guard let run = activity.run else {
            return open == 0
                ? "<p class=\"muted run\">No run: nothing is open and nothing happened in the last \(Int(RunActivity.idleGap / 60)) minutes.</p>"
                : "<p class=\"notice run\">No worker activity in the last \(Int(RunActivity.idleGap / 60)) minutes; \(Formatting.plural(open, "job")) open: run <code>modimg-queue work</code>.</p>"
        }
        let p = run.progress
        let percent = p.total == 0 ? 100 : p.done * 100 / p.total
        let minutes = max(1, (now - run.startedAt) / 60)
        let pace = Double(p.done + p.failed) / minutes
        var parts: [HTML] = ["<b>\(p.done) of \(p.total) done</b>"]
        if p.failed > 0 { parts.append("<span class=\"bad\">\(p.failed) failed</span>") }
        if run.cancelled > 0 { parts.append("<span class=\"muted\">\(run.cancelled) cancelled, not counted</span>") }
        parts.append("\(String(format: "%.1f", pace)) jobs a minute")
        parts.append(eta(run))
        return """
            <div class="run"><div class="bar" title="\(p.done) of \(p.total) done"><i style="width:\(percent)%"></i></div>
            <p>Since \(Formatting.time(run.startedAt, now: now)): \(parts.interleaved(" · ")).</p></div>
            """
    }

    private func eta(_ run: RunActivity.Run) -> HTML {
        guard let eta = run.eta else { return "nothing left" }
        var text: HTML = "ETA \(Self.duration(eta.seconds)) (about \(Formatting.time(now + eta.seconds, now: now)))"
        switch eta.waitingFor {
        case .portalPause(let until)?: text = text + " after the portal's pause until \(Formatting.time(until, now: now))"
        case .retry(let mod, let at)?: text = text + " after \(mod)'s retry at \(Formatting.time(at, now: now))"
        case nil: break
        }
        return text
    }

    /// "under a minute", "12 min", "2 h 05 min".
    static func duration(_ seconds: Double) -> String {
        let minutes = Int((seconds / 60).rounded(.up))
        if seconds < 60 { return "under a minute" }
        if minutes < 60 { return "\(minutes) min" }
        return String(format: "%d h %02d min", minutes / 60, minutes % 60)
    }
}
