import ModImgQueue

/// Images of a mod's gallery as thumbnails, each with its position, file, id and standing; an
/// image a pending removal takes out is greyed, "leaving", until that job is done.
struct GalleryItems {
    /// Failed uploads whose file can no longer be shown (changed, gone).
    let unreadableFiles: Set<Int64>
    /// The editing buttons under an image at a position (1-based), when the page edits the
    /// gallery (see `GalleryEditForms`): its staying images can then be dragged.
    var controls: ((GalleryPreview.Item, Int) -> HTML)? = nil

    /// `items` shown from position `first` (0-based) of the gallery.
    func list(_ items: ArraySlice<GalleryPreview.Item>, first: Int) -> HTML {
        let shown: [HTML] = zip(first..., items).map { index, item in
            let state = item.standing.rawValue
            let job: HTML = item.job.map { "<a href=\"\(Links.job($0))\">job \($0)</a>" } ?? ""
            let reason: HTML = item.error.map { "<div class=\"reason\">\($0)</div>" } ?? ""
            let leaving: HTML =
                item.leavingBy.map { " <span class=\"state leaving\">leaving</span> by <a href=\"\(Links.job($0))\">job \($0)</a>" } ?? ""
            let draggable: HTML = controls != nil && item.leavingBy == nil ? " draggable=\"true\"" : ""
            return """
                <li class="\(state)\(item.leavingBy == nil ? "" : " leaving")" data-image-id="\(item.imageID)"\(draggable)><div class="thumb">\(picture(item))</div>\
                <div class="cap"><span class="pos">\(index + 1)</span> <span class="mono">\(Formatting.fileName(item.file))</span><br>\
                <span class="mono">\(Formatting.shortID(item.imageID))</span> <span class="state \(state)">\(state)</span> \(job)\(leaving)\(localLink(item))\(reason)</div>\
                \(controls?(item, index + 1) ?? "")</li>
                """
        }
        return "<ol class=\"gallery\" start=\"\(first + 1)\">\(shown)</ol>"
    }

    /// Uploaded images from the portal's thumbnail; images still to upload from the local file.
    private func picture(_ item: GalleryPreview.Item) -> HTML {
        let alt = "\(Formatting.fileName(item.file)) \(Formatting.shortID(item.imageID))"
        if let thumbnail = Links.webURL(item.thumbnail) {
            // A thumbnail the portal no longer serves falls back to the local file, when known.
            guard let local = localFile(item) else { return "<img src=\"\(thumbnail)\" alt=\"\(alt)\" loading=\"lazy\">" }
            return "<img src=\"\(thumbnail)\" alt=\"\(alt)\" loading=\"lazy\" onerror=\"this.onerror=null;this.src='\(local)'\">"
        }
        if let job = item.job, unreadableFiles.contains(job) {
            return "<span class=\"none\">the file is gone or changed</span>"
        }
        if let job = item.job, item.file != nil {
            return "<img src=\"\(Links.file(ofJob: job))\" alt=\"\(alt)\" loading=\"lazy\">"
        }
        return "<span class=\"none\">no picture here: \(item.standing.rawValue)</span>"
    }

    /// The dashboard's address of the upload's local file, for an image the portal shows.
    private func localFile(_ item: GalleryPreview.Item) -> String? {
        guard let job = item.job, item.file != nil, !unreadableFiles.contains(job) else { return nil }
        return Links.file(ofJob: job)
    }

    /// A link to the local file under an uploaded image, for when its thumbnail is gone (and without JavaScript).
    private func localLink(_ item: GalleryPreview.Item) -> HTML {
        guard Links.webURL(item.thumbnail) != nil, let local = localFile(item) else { return "" }
        return " <a class=\"local\" href=\"\(local)\">local file</a>"
    }

    /// What decided the order of the gallery, in one sentence.
    static func orderNote(_ gallery: GalleryPreview) -> HTML {
        switch gallery.orderSource {
        case .history:
            return "In upload order: the history, then the uploads still to run."
        case .reorder(let job, let state):
            let verb = state == .done ? "set by" : "as it will be after"
            return "In the order \(verb) reorder <a href=\"\(Links.job(job))\">job \(job)</a> (\(state.rawValue))."
        }
    }
}
