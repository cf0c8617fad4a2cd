import ModImgQueue
import ModPortal

/// Entries of a mod's upload history, as `history` lists them, as a table.
enum HistoryRows {
    static func table(_ history: [HistoryEntry]) -> HTML {
        guard !history.isEmpty else { return "<p class=\"muted\">No images uploaded for this mod yet.</p>" }
        let rows: [HTML] = history.map { entry in
            let job: HTML = entry.job.map { "<a href=\"\(Links.job($0))\">\($0)</a>" } ?? "-"
            let link: HTML = Links.webURL(entry.url).map { "<a href=\"\($0)\" rel=\"noreferrer\">image</a>" } ?? HTML(text: entry.url)
            return """
                <tr><td class="mono">\(Formatting.shortID(entry.id))</td><td class="time">\(Formatting.time(entry.uploadedAt))</td><td>\(job)</td>\
                <td class="mono">\(entry.file.map { PortalText.sanitized($0, limit: 4096) } ?? "-")</td><td>\(link)</td></tr>
                """
        }
        return """
            <div class="scroll"><table>
            <thead><tr><th>id</th><th>uploaded</th><th>job</th><th>file</th><th>url</th></tr></thead>
            <tbody>\(rows)</tbody>
            </table></div>
            """
    }
}
