import ModImgQueue

/// `/mods/<mod>`: the first screenful of the gallery as thumbnails in the order the queue will
/// leave it, then the newest uploads of the history (`history`) and the newest of the mod's jobs
/// (`jobs --mod`), each with a link to the rest: the page stays small however big the mod.
struct ModPage {
    /// Thumbnails shown here; the gallery page shows the rest.
    static let galleryScreenful = 48
    /// History entries and jobs shown here; their list pages show the rest.
    static let listPreview = 20

    /// The gallery with the details of its first `galleryScreenful` images.
    let gallery: GalleryPreview
    /// The newest `listPreview` of the history, and the cursor of the rest.
    let history: Page<HistoryEntry>
    /// The newest `listPreview` jobs, and the cursor of the rest.
    let jobs: Page<JobSummary>
    /// Failed uploads whose file can no longer be shown (changed, gone).
    var unreadableFiles: Set<Int64> = []
    /// The result of the latest action and the forms of this mod's actions (see `ActionForms`).
    var actions: HTML = ""
    /// The gallery's editing forms; nil with `--read-only`.
    var editing: GalleryEditForms? = nil

    var html: HTML {
        Layout.page(title: gallery.mod, heading: HTML(text: gallery.mod), live: true, body)
    }

    private var mod: String { gallery.mod }

    private var body: HTML {
        """
        <h1>\(mod)</h1>
        \(actions)
        <h2>Gallery</h2>
        <p class="muted">\(GalleryItems.orderNote(gallery))</p>
        \(editing.map(galleryEditor) ?? galleryPreview)
        <h2>History</h2>
        \(HistoryRows.table(history.items))
        \(Pager.links(start: nil, next: history.next.map { Links.path(Links.modHistory(mod), [("before", String($0))]) }, nextLabel: "older uploads"))
        <h2>Jobs</h2>
        \(JobRows.table(jobs.items, showMod: false))
        \(Pager.links(start: nil, next: jobs.next.map { Links.path(Links.modJobs(mod), [("before", String($0))]) }, nextLabel: "older jobs"))
        """
    }

    /// The gallery as forms: the thumbnails to arrange, files to add, the edits to take back.
    private func galleryEditor(_ editing: GalleryEditForms) -> HTML {
        let shown = editing.shown.prefix(Self.galleryScreenful)
        let list: HTML =
            shown.isEmpty
            ? "<p class=\"muted\">No images known for this mod.</p>"
            : GalleryItems(unreadableFiles: unreadableFiles, controls: editing.controls).list(shown, first: 0)
        return """
            \(editing.orderForm(list))\(pager(shown: shown.count, of: editing.gallery.count))
            \(editing.addForm)
            <h3>Pending edits</h3>
            \(editing.pendingEdits)
            \(GalleryScript.html)
            """
    }

    private var galleryPreview: HTML {
        guard gallery.count > 0 else { return "<p class=\"muted\">No images known for this mod.</p>" }
        let shown = gallery.items.prefix(Self.galleryScreenful)
        return GalleryItems(unreadableFiles: unreadableFiles).list(shown, first: 0) + pager(shown: shown.count, of: gallery.count)
    }

    /// A link to the rest of a gallery of `count` images when only the first `shown` are here.
    private func pager(shown: Int, of count: Int) -> HTML {
        guard count > shown else { return "" }
        let rest = Links.path(Links.modGallery(mod), [("from", String(shown))])
        return """
            <nav class="pager">The first \(shown) of \(Formatting.plural(count, "image")): \
            <a rel="next" href="\(rest)">the rest →</a></nav>
            """
    }
}
