import ModImgQueue

/// The gallery of a mod's page as forms that queue edits (absent with `serve --read-only`):
/// - one form wraps the thumbnails with the draft order in a hidden `order` field; each image's
///   "move left"/"move right" buttons post it back to re-draw the page in the moved order (nothing
///   is queued), "remove" queues a removal, "Save order" queues one reorder of the order shown;
/// - a `multipart/form-data` form adds image files at a position;
/// - the pending edits (open uploads and reorders, removals included), each with "take back".
/// Plain forms with the session's CSRF token: they work without JavaScript and with a keyboard;
/// `GalleryScript` only adds dragging thumbnails and dropping files.
struct GalleryEditForms: Sendable {
    let csrf: String
    let mod: String
    /// The whole gallery as the queue will leave it, leaving images at their place.
    let gallery: GalleryPreview
    /// A draft order of the staying images (posted by a move button), or nil: the gallery's own.
    let draft: [String]?
    /// The mod's open uploads and reorders, oldest first.
    let pending: [JobSummary]

    static let orderID = "gallery-order"
    static let addID = "gallery-add"

    var orderPath: String { Links.mod(mod) + "/order" }
    var removePath: String { Links.mod(mod) + "/remove" }
    var addPath: String { Links.mod(mod) + "/add" }
    var takeBackPath: String { Links.mod(mod) + "/take-back" }

    /// The images in the order shown: the draft's order in the places of the staying images,
    /// the leaving ones where they are.
    var shown: [GalleryPreview.Item] {
        guard let draft else { return gallery.items }
        let byID = Dictionary(gallery.items.map { ($0.imageID, $0) }, uniquingKeysWith: { first, _ in first })
        var next = draft.makeIterator()
        return gallery.items.map { item in item.leavingBy != nil ? item : (next.next().flatMap { byID[$0] } ?? item) }
    }

    /// The ids of the staying images, in the order shown.
    var order: [String] { draft ?? gallery.staying }

    private var hidden: HTML { "<input type=\"hidden\" name=\"csrf\" value=\"\(csrf)\">" }

    /// The thumbnails inside the order form, with its buttons; images not shown keep their
    /// places after them (the order field holds every one).
    func orderForm(_ list: HTML) -> HTML {
        let draftNote: HTML =
            draft == nil
            ? ""
            : "<p class=\"notice\" role=\"status\">A draft order, not saved yet: “Save order” queues it; reload the page to drop it.</p>"
        return """
            \(draftNote)<form method="post" action="\(orderPath)" id="\(Self.orderID)"\(draft == nil ? "" : " data-draft")>\(hidden)\
            <input type="hidden" name="order" value="\(order.joined(separator: ","))">
            \(list)
            <div class="actions"><button type="submit" name="save" value="yes">Save order</button> \
            <span class="muted">Drag thumbnails (or drop image files on them), or use each image's buttons; nothing is queued until you save.</span></div>
            </form>
            """
    }

    /// The buttons under one staying image (`position`, 1-based), inside the order form.
    func controls(_ item: GalleryPreview.Item, position: Int) -> HTML {
        guard item.leavingBy == nil else { return "" }
        let id = item.imageID
        let name = "image \(position) (\(Formatting.shortID(id)))"
        return """
            <div class="edit">\
            <button type="submit" name="move" value="\(id):left" title="move left" aria-label="move \(name) left">←</button>\
            <button type="submit" name="move" value="\(id):right" title="move right" aria-label="move \(name) right">→</button>\
            <button type="submit" formaction="\(removePath)" name="remove" value="\(id)" aria-label="remove \(name)">remove</button></div>
            """
    }

    /// The form that queues uploads of chosen files at a position (empty: the end).
    var addForm: HTML {
        """
        <form method="post" action="\(addPath)" enctype="multipart/form-data" id="\(Self.addID)" class="actions">\(hidden)\
        <label>Add images <input type="file" name="files" multiple accept="image/png,image/jpeg,image/gif"></label> \
        <label>at position <input type="number" name="position" min="1" max="\(gallery.staying.count + 1)" placeholder="end" size="5"></label> \
        <button type="submit">Queue uploads</button></form>
        """
    }

    /// Every edit not run yet, each with a button that takes it back.
    var pendingEdits: HTML {
        guard !pending.isEmpty else { return "<p class=\"muted\">No pending edits: the gallery is as the queue has left it.</p>" }
        let rows: [HTML] = pending.map { job in
            """
            <tr><td><a href="\(Links.job(job.id))">\(job.id)</a></td><td>\(Self.describe(job))</td>\
            <td><span class="state \(job.state.rawValue)">\(job.state.rawValue)</span></td>\
            <td><form method="post" action="\(takeBackPath)">\(hidden)<input type="hidden" name="job" value="\(job.id)">\
            <button type="submit" aria-label="take back job \(job.id)">take back</button></form></td></tr>
            """
        }
        return """
            <div class="scroll"><table class="pending-edits">
            <thead><tr><th>job</th><th>edit</th><th>state</th><th></th></tr></thead>
            <tbody>\(rows)</tbody>
            </table></div>
            """
    }

    /// What an open job will do to the gallery, in a few words.
    static func describe(_ job: JobSummary) -> HTML {
        switch job.kind {
        case .upload:
            return "upload <span class=\"mono\">\(Formatting.fileName(job.file))</span>"
        case .reorder:
            let listed = job.imageIDs ?? []
            let excluded: [HTML] = job.excludedIDs.map { "<span class=\"mono\">\(Formatting.shortID($0))</span> " }
            if listed.isEmpty, !job.excludedIDs.isEmpty { return "remove \(excluded)" }
            return "reorder: sets the order of \(Formatting.plural(listed.count, "image"))"
        }
    }
}
