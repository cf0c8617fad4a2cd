import ModImgQueue

/// `/mods/<mod>/gallery`: one page of the gallery's thumbnails, from position `from` on, with
/// the link to the next page.
struct ModGalleryPage {
    /// The gallery with the details of the images of this page (from `gallery.first` on).
    let gallery: GalleryPreview
    let limit: Int
    var unreadableFiles: Set<Int64> = []

    var html: HTML {
        let mod = gallery.mod
        let heading: HTML = "<a href=\"\(Links.mod(mod))\">\(mod)</a> <span class=\"sep\">/</span> gallery"
        let (from, shown) = (gallery.first, gallery.items.prefix(limit))
        let end = from + shown.count
        let limitParameter = limit == PageRequest.defaultLimit ? nil : String(limit)
        let next = end < gallery.count ? Links.path(Links.modGallery(mod), [("from", String(end)), ("limit", limitParameter)]) : nil
        let start = from == 0 ? nil : Links.path(Links.modGallery(mod), [("limit", limitParameter)])
        let list: HTML =
            shown.isEmpty
            ? "<p class=\"muted\">No images at this position: the gallery holds \(Formatting.plural(gallery.count, "image")).</p>"
            : GalleryItems(unreadableFiles: unreadableFiles).list(shown, first: from)
        return Layout.page(
            title: "\(mod) gallery", heading: heading, live: true,
            """
            <h1>Gallery of \(mod)</h1>
            <p class="muted">\(GalleryItems.orderNote(gallery)) Images \(shown.isEmpty ? 0 : from + 1) to \(end) of \(gallery.count).</p>
            \(list)
            \(Pager.links(start: start, next: next, nextLabel: "next images"))
            """)
    }
}
