import ModImgQueue
import ModPortal

/// `/jobs/<id>`: the job and its event log, the facts `log N` prints.
struct JobPage {
    let job: JobSummary
    let events: [JobEvent]
    /// The result of the latest action and the forms of this job's actions (see `ActionForms`).
    var actions: HTML = ""

    var html: HTML {
        Layout.page(title: "job \(job.id)", heading: "job \(job.id)", live: true, body)
    }

    private var body: HTML {
        var facts: [HTML] = [
            row("mod", "<a href=\"\(Links.mod(job.mod))\">\(job.mod)</a>"),
            row("kind", HTML(text: job.kind.rawValue)),
            row("state", "<span class=\"state \(job.state.rawValue)\">\(job.state.rawValue)</span>"),
            row("failed attempts", HTML(text: "\(job.attempts)")),
        ]
        if let file = job.file {
            let picture: HTML = job.state == .cancelled ? "" : " · <a href=\"\(Links.file(ofJob: job.id))\">the file</a>"
            facts.append(row("file", "<span class=\"mono\">\(PortalText.sanitized(file, limit: 4096))</span>\(picture)"))
        }
        if let ids = job.imageIDs, !ids.isEmpty { facts.append(row("images", "<span class=\"mono\">\(ids.joined(separator: ", "))</span>")) }
        if !job.excludedIDs.isEmpty { facts.append(row("removing", "<span class=\"mono\">\(job.excludedIDs.joined(separator: ", "))</span>")) }
        if let next = job.nextAttemptAt { facts.append(row("next attempt", Formatting.time(next))) }
        if let error = job.error { facts.append(row("last error", "<span class=\"bad\">\(error)</span>")) }
        if let next = job.job.nextStep { facts.append(row("next step", HTML(text: next.text))) }
        let log: [HTML] = events.map { event in
            let change = event.fromState.map { $0 == event.toState ? $0 : "\($0) → \(event.toState)" } ?? event.toState
            return "<tr><td class=\"time\">\(Formatting.time(event.at))</td><td>\(change)</td><td>\(event.reason)</td></tr>"
        }
        return """
            <h1>Job \(job.id): \(job.kind.rawValue) for \(job.mod)</h1>
            \(actions)
            <div class="scroll"><table><tbody>\(facts)</tbody></table></div>
            <h2>Event log</h2>
            <div class="scroll"><table>
            <thead><tr><th>at</th><th>change</th><th>reason</th></tr></thead>
            <tbody>\(log)</tbody>
            </table></div>
            """
    }

    private func row(_ label: String, _ value: HTML) -> HTML {
        "<tr><th>\(label)</th><td>\(value)</td></tr>"
    }
}
