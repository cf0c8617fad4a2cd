import ModImgQueue

/// The queue actions as plain HTML forms (`method="post"`, the session's CSRF token a hidden
/// field): they work without JavaScript and with a keyboard. Retry acts at once; cancel, which
/// drops jobs, first shows what it will drop (`confirmation`). Absent with `serve --read-only`.
struct ActionForms: Sendable {
    /// Where the overview's "retry all failed jobs" posts.
    static let retryFailedPath = "/retry-failed"

    let csrf: String

    /// On a job's page: retry it when failed and a retry can succeed (its next step says whether),
    /// cancel it when open.
    func job(_ job: JobSummary) -> HTML {
        switch job.state {
        case .failed where job.job.nextStep?.retryHelps == false: return ""
        case .failed: return bar([form(Links.job(job.id) + "/retry", "Retry this job")])
        case .queued, .added: return bar([form(Links.job(job.id) + "/cancel", "Cancel this job…")])
        case .done, .cancelled: return ""
        }
    }

    /// On a mod's page: retry its failed jobs, cancel its open ones, each only when there are some.
    func mod(_ mod: String, hasFailed: Bool, hasOpen: Bool) -> HTML {
        var forms: [HTML] = []
        if hasFailed { forms.append(form(Links.mod(mod) + "/retry", "Retry all failed jobs of \(mod)")) }
        if hasOpen { forms.append(form(Links.mod(mod) + "/cancel", "Cancel all queued jobs of \(mod)…")) }
        return forms.isEmpty ? "" : bar(forms)
    }

    /// On the overview: retry every failed job, when there are some.
    func overview(failed: Int) -> HTML {
        failed > 0 ? bar([form(Self.retryFailedPath, "Retry all \(Formatting.plural(failed, "failed job"))")]) : ""
    }

    /// The page that lists the jobs a cancel will drop (id, mod, kind, state), with the button
    /// that cancels exactly those (`job` fields) and a way back that changes nothing.
    func confirmation(cancelling jobs: [JobSummary], action: String, back: String) -> HTML {
        guard !jobs.isEmpty else {
            return Layout.page(
                title: "cancel", heading: "cancel", live: false,
                "<h1>Nothing to cancel</h1><p>No queued job is left here. <a href=\"\(back)\">Back</a></p>")
        }
        let rows: [HTML] = jobs.map { job in
            """
            <tr><td><a href="\(Links.job(job.id))">\(job.id)</a></td><td>\(job.mod)</td><td>\(job.kind.rawValue)</td>\
            <td><span class="state \(job.state.rawValue)">\(job.state.rawValue)</span></td></tr>
            """
        }
        let ids: [HTML] = jobs.map { "<input type=\"hidden\" name=\"job\" value=\"\($0.id)\">" }
        return Layout.page(
            title: "cancel", heading: "cancel", live: false,
            """
            <h1>Cancel \(Formatting.plural(jobs.count, "job"))?</h1>
            <p>These jobs will be cancelled and never sent to the portal:</p>
            <div class="scroll"><table>
            <thead><tr><th>job</th><th>mod</th><th>kind</th><th>state</th></tr></thead>
            <tbody>\(rows)</tbody>
            </table></div>
            <form method="post" action="\(action)" class="actions">\(hidden)\(ids)<input type="hidden" name="confirm" value="yes">\
            <button type="submit">Cancel \(Formatting.plural(jobs.count, "job"))</button> <a href="\(back)">Keep them</a></form>
            """)
    }

    /// The result of the latest action, on the page it redirected to.
    static func result(_ line: String?) -> HTML {
        line.map { "<p class=\"notice\" role=\"status\">\($0)</p>" } ?? ""
    }

    private var hidden: HTML { "<input type=\"hidden\" name=\"csrf\" value=\"\(csrf)\">" }

    private func form(_ action: String, _ label: String) -> HTML {
        "<form method=\"post\" action=\"\(action)\">\(hidden)<button type=\"submit\">\(label)</button></form>"
    }

    private func bar(_ forms: [HTML]) -> HTML { "<div class=\"actions\">\(forms)</div>" }
}
