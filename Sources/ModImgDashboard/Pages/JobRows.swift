import ModImgQueue
import ModPortal

/// Jobs as `jobs` lists them, as a table.
enum JobRows {
    static func table(_ jobs: [JobSummary], showMod: Bool) -> HTML {
        guard !jobs.isEmpty else { return "<p class=\"muted\">No jobs.</p>" }
        let rows: [HTML] = jobs.map { job in
            let mod: HTML = showMod ? "<td><a href=\"\(Links.mod(job.mod))\">\(job.mod)</a></td>" : ""
            return """
                <tr><td><a href="\(Links.job(job.id))">\(job.id)</a></td>\(mod)<td>\(job.kind.rawValue)</td>\
                <td><span class="state \(job.state.rawValue)">\(job.state.rawValue)</span></td><td class="num">\(job.attempts)</td>\
                <td class="mono">\(job.file.map { PortalText.sanitized($0, limit: 4096) } ?? "-")</td>\
                <td class="time">\(Formatting.time(job.nextAttemptAt))</td><td class="\(job.error == nil ? "muted" : "bad")">\(job.error ?? "-")</td></tr>
                """
        }
        return """
            <div class="scroll"><table>
            <thead><tr><th>id</th>\(showMod ? HTML("<th>mod</th>") : "")<th>kind</th><th>state</th><th>attempts</th><th>file</th><th>next attempt</th><th>last error</th></tr></thead>
            <tbody>\(rows)</tbody>
            </table></div>
            """
    }
}
