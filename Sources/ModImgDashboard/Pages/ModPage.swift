import ModImgQueue
import ModPortal

/// `/mods/<mod>`: the gallery as thumbnails in the order the queue will leave it, then the
/// upload history (`history`) and the mod's jobs (`jobs --mod`).
struct ModPage {
    let gallery: GalleryPreview
    let history: [HistoryEntry]
    let jobs: [JobSummary]
    /// Failed uploads whose file can no longer be shown (changed, gone).
    var unreadableFiles: Set<Int64> = []

    var html: HTML {
        Layout.page(title: gallery.mod, heading: HTML(text: gallery.mod), live: true, body)
    }

    private var body: HTML {
        """
        <h1>\(gallery.mod)</h1>
        <h2>Gallery</h2>
        <p class="muted">\(orderNote)</p>
        \(galleryList)
        <h2>History</h2>
        \(historyTable)
        <h2>Jobs</h2>
        \(JobRows.table(jobs, showMod: false))
        """
    }

    private var orderNote: HTML {
        switch gallery.orderSource {
        case .history:
            return "In upload order: the history, then the uploads still to run."
        case .reorder(let job, let state):
            let verb = state == .done ? "set by" : "as it will be after"
            return "In the order \(verb) reorder <a href=\"\(Links.job(job))\">job \(job)</a> (\(state.rawValue))."
        }
    }

    private var galleryList: HTML {
        guard !gallery.items.isEmpty else { return "<p class=\"muted\">No images known for this mod.</p>" }
        let items: [HTML] = gallery.items.enumerated().map { index, item in
            let state = item.standing.rawValue
            let job: HTML = item.job.map { "<a href=\"\(Links.job($0))\">job \($0)</a>" } ?? ""
            let reason: HTML = item.error.map { "<div class=\"reason\">\($0)</div>" } ?? ""
            return """
                <li class="\(state)" data-image-id="\(item.imageID)"><div class="thumb">\(picture(item))</div>\
                <div class="cap"><span class="pos">\(index + 1)</span> <span class="mono">\(Formatting.fileName(item.file))</span><br>\
                <span class="mono">\(Formatting.shortID(item.imageID))</span> <span class="state \(state)">\(state)</span> \(job)\(reason)</div></li>
                """
        }
        return "<ol class=\"gallery\">\(items)</ol>"
    }

    /// Uploaded images from the portal's thumbnail; images still to upload from the local file.
    private func picture(_ item: GalleryPreview.Item) -> HTML {
        let alt = "\(Formatting.fileName(item.file)) \(Formatting.shortID(item.imageID))"
        if let thumbnail = Links.webURL(item.thumbnail) {
            return "<img src=\"\(thumbnail)\" alt=\"\(alt)\" loading=\"lazy\">"
        }
        if let job = item.job, unreadableFiles.contains(job) {
            return "<span class=\"none\">the file is gone or changed</span>"
        }
        if let job = item.job, item.file != nil {
            return "<img src=\"\(Links.file(ofJob: job))\" alt=\"\(alt)\" loading=\"lazy\">"
        }
        return "<span class=\"none\">no picture here: \(item.standing.rawValue)</span>"
    }

    private var historyTable: HTML {
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
