import ModImgQueue

/// `/`: the facts `status` prints, from the same `QueueQueries.status` call; the current run and
/// the jobs finished per minute (`RunActivity`); then the mods, failed ones first, those whose
/// name holds `search` when one is given.
struct OverviewPage {
    let status: QueueStatus
    let databasePath: String
    let now: Double
    /// The result of the latest action and the form that retries every failed job (see `ActionForms`).
    var actions: HTML = ""
    var activity: RunActivity?
    /// `?q=`: only mods whose name holds this (ignoring case).
    var search: String?

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
            \(activity.map { RunSection(activity: $0, open: c.queued + c.added, now: now).html } ?? "")
            <h2>Mods</h2>
            \(searchForm)
            \(modsTable)
            <p><a href="/jobs">All jobs</a> · <a href="/jobs?state=failed">failed jobs</a> · <a href="/jobs?state=queued">queued jobs</a></p>
            """
    }

    private var searchForm: HTML {
        """
        <form class="find" method="get" action="/" role="search"><label>Mod name contains \
        <input type="search" name="q" value="\(search ?? "")"></label> <button>Search</button>\
        \(search == nil ? "" : HTML(" <a href=\"/\">all mods</a>"))</form>
        """
    }

    /// The mods shown: those matching the search, failed ones first, then by name.
    var shownMods: [ModStatus] {
        let matching = search.map { text in status.mods.filter { $0.mod.localizedCaseInsensitiveContains(text) } } ?? status.mods
        return matching.sorted { a, b in
            (a.counts.failed > 0) != (b.counts.failed > 0) ? a.counts.failed > 0 : a.mod < b.mod
        }
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
        let mods = shownMods
        guard !mods.isEmpty else { return "<p class=\"muted\">No mod's name contains \(search ?? "").</p>" }
        let rows: [HTML] = mods.map { m in
            let c = m.counts
            // Cancelled jobs are not work to do: progress is done of the rest.
            let total = c.queued + c.added + c.done + c.failed
            let percent = total == 0 ? 0 : c.done * 100 / total
            return """
                <tr><td class="name" data-label="mod"><a href="\(Links.mod(m.mod))">\(m.mod)</a></td>\
                <td class="progress" data-label="progress"><div class="bar" title="\(c.done) of \(total) done"><i style="width:\(percent)%"></i></div>\
                <span class="muted">\(c.done) of \(total) done</span></td>\
                <td class="num" data-label="open">\(c.queued + c.added)</td><td class="num" data-label="waiting">\(m.waitingOnDependencies)</td>\
                <td class="num failed\(c.failed > 0 ? HTML(" bad") : "")" data-label="failed">\(c.failed)</td><td class="num" data-label="cancelled">\(c.cancelled)</td>\
                <td class="time" data-label="next retry">\(Formatting.time(m.nextRetryAt))</td>\(cause(m))</tr>
                """
        }
        return """
            <div class="scroll"><table class="mods">
            <thead><tr><th>mod</th><th>progress</th><th>open</th><th>waiting</th><th>failed</th><th>cancelled</th><th>next retry</th><th>root cause</th></tr></thead>
            <tbody>\(rows)</tbody>
            </table></div>
            """
    }

    /// The root cause of a mod with failed jobs, in red; the last error of one with none failed
    /// is a transient one its jobs retry (or got past), shown muted, never as a root cause.
    private func cause(_ m: ModStatus) -> HTML {
        guard let error = m.lastError else { return "<td class=\"cause muted\" data-label=\"root cause\">-</td>" }
        if m.counts.failed > 0 { return "<td class=\"cause bad\" data-label=\"root cause\">\(error.description)</td>" }
        let open = m.counts.queued + m.counts.added > 0
        return "<td class=\"cause muted\" data-label=\"last error\">\(open ? "retrying after" : "recovered from"): \(error.description)</td>"
    }
}
