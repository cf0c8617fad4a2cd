import Foundation
import ModImgQueue

/// Jobs done and failed per minute over `RunActivity.window`, as an inline SVG drawn here: one
/// bar a minute with something finished, done in green with failed stacked on it in red, each
/// with a `<title>` saying what it counts; and under it the requests sent per minute, the same
/// way. No script, no external asset; it scales to the width.
struct ActivityChart {
    let activity: RunActivity
    let now: Double

    static let width = 720.0
    static let height = 120.0

    var svg: HTML {
        let minutes = activity.minutes.filter { $0.done + $0.failed > 0 }
        let top = max(1, minutes.map { $0.done + $0.failed }.max() ?? 0)
        let span = max(60, activity.until - activity.since)
        let barWidth = max(1, Self.width * 60 / span - 0.5)
        let bars: [HTML] = minutes.map { minute in
            let x = (minute.start - activity.since) / span * Self.width
            let scale = (Self.height - 14) / Double(top)
            let doneHeight = Double(minute.done) * scale
            let failedHeight = Double(minute.failed) * scale
            let label = "\(LocalMoment.text(minute.start, now: now)): \(minute.done) done, \(minute.failed) failed"
            var parts: [HTML] = []
            if minute.done > 0 {
                parts.append(rect("done", minute.done, x, Self.height - doneHeight, barWidth, doneHeight, label))
            }
            if minute.failed > 0 {
                parts.append(rect("failed", minute.failed, x, Self.height - doneHeight - failedHeight, barWidth, failedHeight, label))
            }
            return parts.joined()
        }
        let hours = Int(activity.until - activity.since) / 3600
        return """
            <figure class="chart"><svg viewBox="0 0 \(Self.number(Self.width)) \(Self.number(Self.height))" \
            preserveAspectRatio="none" role="img" aria-label="Jobs done and failed per minute over the last \(hours) hours">\
            <line class="axis" x1="0" y1="\(Self.number(Self.height))" x2="\(Self.number(Self.width))" y2="\(Self.number(Self.height))"/>\
            \(bars)</svg>
            <figcaption><span>\(hours) h ago</span><span>jobs a minute: <i class="key done"></i> done <i class="key failed"></i> failed \
            (highest \(top))</span><span>now</span></figcaption></figure>
            """
    }

    /// Requests charged to the budget per minute, one bar a minute that sent any.
    var requestsSVG: HTML {
        let minutes = activity.minutes.filter { $0.requests > 0 }
        let top = max(1, minutes.map(\.requests).max() ?? 0)
        let span = max(60, activity.until - activity.since)
        let barWidth = max(1, Self.width * 60 / span - 0.5)
        let height = Self.height / 2
        let bars: [HTML] = minutes.map { minute in
            let x = (minute.start - activity.since) / span * Self.width
            let h = Double(minute.requests) * (height - 8) / Double(top)
            return rect("requests", minute.requests, x, height - h, barWidth, h, "\(LocalMoment.text(minute.start, now: now)): \(minute.requests) requests")
        }
        let hours = Int(activity.until - activity.since) / 3600
        return """
            <figure class="chart requests"><svg viewBox="0 0 \(Self.number(Self.width)) \(Self.number(height))" \
            preserveAspectRatio="none" role="img" aria-label="Requests sent per minute over the last \(hours) hours">\
            <line class="axis" x1="0" y1="\(Self.number(height))" x2="\(Self.number(Self.width))" y2="\(Self.number(height))"/>\
            \(bars)</svg>
            <figcaption><span>\(hours) h ago</span><span>requests a minute: <i class="key requests"></i> sent \
            (highest \(top))</span><span>now</span></figcaption></figure>
            """
    }

    private func rect(_ kind: String, _ count: Int, _ x: Double, _ y: Double, _ w: Double, _ h: Double, _ label: String) -> HTML {
        """
        <rect class="\(kind)" data-count="\(count)" x="\(Self.number(x))" y="\(Self.number(y))" width="\(Self.number(w))" \
        height="\(Self.number(h))"><title>\(label)</title></rect>
        """
    }

    private static func number(_ value: Double) -> String { String(format: "%.1f", value) }
}
