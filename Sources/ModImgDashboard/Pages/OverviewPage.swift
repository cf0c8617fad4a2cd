import ModImgQueue

/// `/`: the facts `status` prints, from the same `QueueQueries.status` call.
struct OverviewPage {
    let status: QueueStatus
    let databasePath: String
    let now: Double
    /// The result of the latest action and the form that retries every failed job (see `ActionForms`).
    var actions: HTML = ""

    var html: HTML {
        Layout.page(title: "queue", heading: "queue", live: true, body)
    }

    private var body: HTML {
        let c = status.total
        let all = c.queued + c.added + c.done + c.failed + c.cancelled
        return """
            <h1>Queue <span class="muted mono">\(databasePath)</span></h1>
            <div class="facts">
            \(fact(all, "jobs"))\(fact(c.queued, "queued"))\(fact(c.added, "added"))\(fact(c.done, "done"))\(fact(c.failed, "failed", bad: c.failed > 0))\(fact(c.cancelled, "cancelled"))
            </div>
            \(actions)
            \(notices)
            <h2>Mods</h2>
            \(modsTable)
            """
    }

    private func fact(_ count: Int, _ label: String, bad: Bool = false) -> HTML {
        "<div class=\"fact\"><b\(bad ? HTML(" class=\"bad\"") : "")>\(count)</b><span>\(label)</span></div>"
    }

    private var notices: HTML {
        var parts: [HTML] = []
        if let refused = status.keyRefused {
            parts.append(
                """
                <p class="notice bad">The portal refused the API key at \(Formatting.time(refused.at)) (\(refused.detail)): \
                set a key with the ModPortal: Edit Mods usage (MOD_EDIT_API_KEY or --api-key-file) and run work again.</p>
                """)
        }
        if let paused = status.portalPausedUntil {
            parts.append(
                "<p class=\"notice\">The portal asked for a pause: no request is sent before \(Formatting.time(paused))\(Formatting.fromNow(paused, now: now)).</p>"
            )
        }
        if status.waitingOnDependencies > 0 {
            parts.append(
                "<p class=\"notice\">\(Formatting.plural(status.waitingOnDependencies, "queued job")) waiting on uploads they depend on.</p>")
        }
        for holder in Dictionary(grouping: status.held, by: \.holder.description).sorted(by: { $0.key < $1.key }) {
            let jobs: [HTML] = holder.value.map { "<a href=\"\(Links.job($0.job))\">\($0.job)</a>" }
            let until = holder.value.map(\.until).max()
            parts.append(
                """
                <p class="notice">Worker <span class="mono">\(holder.key)</span> holds \(Formatting.plural(holder.value.count, "job")) \
                (\(jobs.interleaved(", "))) until \(Formatting.time(until)).</p>
                """)
        }
        if let next = status.nextRetryAt {
            parts.append("<p class=\"notice\">Next retry: \(Formatting.time(next))\(Formatting.fromNow(next, now: now)).</p>")
        }
        return parts.joined()
    }

    private var modsTable: HTML {
        guard !status.mods.isEmpty else { return "<p class=\"muted\">The queue is empty.</p>" }
        let rows: [HTML] = status.mods.map { m in
            let c = m.counts
            let total = c.queued + c.added + c.done + c.failed + c.cancelled
            let percent = total == 0 ? 0 : c.done * 100 / total
            return """
                <tr><td><a href="\(Links.mod(m.mod))">\(m.mod)</a></td>\
                <td><div class="bar" title="\(c.done) of \(total) done"><i style="width:\(percent)%"></i></div>\
                <span class="muted">\(c.done) of \(total) done</span></td>\
                <td class="num">\(c.queued + c.added)</td><td class="num">\(m.waitingOnDependencies)</td>\
                <td class="num\(c.failed > 0 ? HTML(" bad") : "")">\(c.failed)</td><td class="num">\(c.cancelled)</td>\
                <td class="time">\(Formatting.time(m.nextRetryAt))</td><td class="\(m.lastError == nil ? "muted" : "bad")">\(m.lastError?.description ?? "-")</td></tr>
                """
        }
        return """
            <div class="scroll"><table>
            <thead><tr><th>mod</th><th>progress</th><th>open</th><th>waiting</th><th>failed</th><th>cancelled</th><th>next retry</th><th>root cause</th></tr></thead>
            <tbody>\(rows)</tbody>
            </table></div>
            """
    }
}
