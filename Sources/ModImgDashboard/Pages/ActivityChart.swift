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
        let bars: [HTML] = minutes.map { minute in
            let x = self.x(minute)
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
        return figure(
            "chart", height: Self.height, what: "Jobs done and failed", bars: bars,
            key: "jobs a minute: <i class=\"key done\"></i> done <i class=\"key failed\"></i> failed (highest \(top))")
    }

    /// Requests charged to the budget per minute, one bar a minute that sent any.
    var requestsSVG: HTML {
        let minutes = activity.minutes.filter { $0.requests > 0 }
        let top = max(1, minutes.map(\.requests).max() ?? 0)
        let height = Self.height / 2
        let bars: [HTML] = minutes.map { minute in
            let h = Double(minute.requests) * (height - 8) / Double(top)
            let label = "\(LocalMoment.text(minute.start, now: now)): \(minute.requests) requests"
            return rect("requests", minute.requests, x(minute), height - h, barWidth, h, label)
        }
        return figure(
            "chart requests", height: height, what: "Requests sent", bars: bars,
            key: "requests a minute: <i class=\"key requests\"></i> sent (highest \(top))")
    }

    private var span: Double { max(60, activity.until - activity.since) }
    private var barWidth: Double { max(1, Self.width * 60 / span - 0.5) }
    private func x(_ minute: RunActivity.Minute) -> Double { (minute.start - activity.since) / span * Self.width }

    /// One chart: its bars over an axis, and a caption from the window's start to now with its key.
    private func figure(_ classes: String, height: Double, what: String, bars: [HTML], key: HTML) -> HTML {
        let hours = Int(activity.until - activity.since) / 3600
        return """
            <figure class="\(classes)"><svg viewBox="0 0 \(Self.number(Self.width)) \(Self.number(height))" \
            preserveAspectRatio="none" role="img" aria-label="\(what) per minute over the last \(hours) hours">\
            <line class="axis" x1="0" y1="\(Self.number(height))" x2="\(Self.number(Self.width))" y2="\(Self.number(height))"/>\
            \(bars)</svg>
            <figcaption><span>\(hours) h ago</span><span>\(key)</span><span>now</span></figcaption></figure>
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
