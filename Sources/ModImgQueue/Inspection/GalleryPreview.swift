import Foundation
import ModPortal
import SQLiteStore

/// A mod's gallery as the queue will leave it, image by image, for the dashboard's mod page.
public struct GalleryPreview: Sendable, Equatable {
    /// Where an image of the gallery stands.
    public enum Standing: String, Sendable {
        /// In the upload history: the portal confirmed it.
        case uploaded
        /// Its upload job is queued or has made its `add`.
        case queued, added
        /// Its upload job failed; `error` says why.
        case failed
        /// Named by a reorder, but neither in this queue's history nor queued here (uploaded some other way).
        case onPortal = "on portal"
    }

    public struct Item: Sendable, Equatable {
        /// The image's id on the portal (its SHA1).
        public let imageID: String
        public let standing: Standing
        /// The local file, if the queue knows one.
        public let file: String?
        /// The upload job, if any (the one in the history, else the open or failed one).
        public let job: Int64?
        /// The portal's thumbnail URL, for an uploaded image.
        public let thumbnail: String?
        /// `CODE: message` of a failed upload.
        public let error: String?
        /// The open job that takes this image out of the gallery: the image is shown at its
        /// place, leaving, until that job is done (it is not part of the order the queue will leave).
        public var leavingBy: Int64? = nil
    }

    /// What decided the order.
    public enum OrderSource: Sendable, Equatable {
        /// The mod's newest reorder still to run, or (state `done`) the last edit of the gallery model.
        case reorder(job: Int64, state: JobState)
        /// No edit: the history's order, then the uploads still to run.
        case history
    }

    public let mod: String
    /// The images from position `first` (0-based) on: the whole gallery, or the window asked for,
    /// with the images a pending removal takes out at their place (`leavingBy`).
    public let items: [Item]
    public let first: Int
    /// How many images the whole gallery holds, counting those leaving it.
    public let count: Int
    public let orderSource: OrderSource

    /// The ids of the images the gallery will hold, in order (of `items`: those not leaving).
    public var staying: [String] { items.filter { $0.leavingBy == nil }.map(\.imageID) }
}

extension QueueQueries {
    /// The gallery in the order the queue will leave it: the gallery model (what this queue's
    /// uploads and edits left there, `GalleryModel`), then the uploads still to run; the mod's
    /// newest reorder still to run shapes it (its listed images; then, if it keeps unlisted
    /// images, the others; and whatever is uploaded after it). Failed uploads are shown where
    /// they would have been; cancelled ones are left out.
    public func gallery(mod: String) async throws -> GalleryPreview {
        try await database.read { [database] db in
            try GalleryPreviewQuery(db: db, mod: mod, models: database.galleryModels).preview(window: nil)
        }
    }

    /// The same gallery, with the details of only the images at the positions of `window` (the
    /// order is the whole gallery's): a page of a big gallery reads the history rows it shows,
    /// not every one.
    public func gallery(mod: String, window: Range<Int>) async throws -> GalleryPreview {
        try await database.read { [database] db in
            try GalleryPreviewQuery(db: db, mod: mod, models: database.galleryModels).preview(window: window)
        }
    }

    /// The gallery this queue expects the mod to have now, from every change it made.
    public func galleryModel(mod: String) async throws -> GalleryModel {
        try await database.read { [database] db in try database.galleryModels.model(db, mod: mod) }
    }
}

private struct GalleryPreviewQuery {
    let db: Connection
    let mod: String
    let models: GalleryModelCache

    private struct Reorder {
        let job: Int64
        let state: JobState
        let imageIDs: [String]
        let keepUnlisted: Bool
        let excluded: Set<String>
    }

    func preview(window: Range<Int>?) throws -> GalleryPreview {
        let model = try models.model(db, mod: mod)
        var baseOrder = model.images
        // The model's own members, and the pending uploads added after them (no set of the whole gallery per view).
        var added: Set<String> = []
        // Uploads still to run or failed, of images the model does not hold: after it, in job order.
        var pending: [String: GalleryPreview.Item] = [:]
        for row in try pendingUploads() {
            guard let id = row.string("file_sha1")?.lowercased(), !model.contains(id), !added.contains(id), let job = row.int("id"),
                let state = row.string("state").flatMap(JobState.init(rawValue:))
            else { continue }
            let standing: GalleryPreview.Standing = state == .failed ? .failed : state == .added ? .added : .queued
            // Its error as stored: sanitised only if the item is shown (a big queue has hundreds).
            let error = state == .failed ? row.string("last_error_code").map { "\($0): \(row.string("last_error_message") ?? "")" } : nil
            pending[id] = .init(
                imageID: id, standing: standing, file: row.string("file_path"), job: Int64(job), thumbnail: nil, error: error)
            baseOrder.append(id)
            added.insert(id)
        }
        var order: [String]
        let source: GalleryPreview.OrderSource
        let reorders = try openReorders()
        var leaving: [String: Int64] = [:]
        if let newest = reorders.last {
            // Each edit still to run applies to the gallery the ones before it leave.
            order = try reorders.reduce(baseOrder) { try reordered($0, by: $1, pending: pending) }
            source = .reorder(job: newest.job, state: newest.state)
            order = withLeaving(order, base: baseOrder, reorders: reorders, leaving: &leaving)
        } else {
            order = baseOrder
            source = try lastEdit().map { .reorder(job: $0, state: .done) } ?? .history
        }
        let first = min(window?.lowerBound ?? 0, order.count)
        let shown = order[first..<min(window?.upperBound ?? order.count, order.count)]
        let uploaded = try uploadedImages(shown.count > 64 ? nil : Array(shown))
        let items = shown.map { id in
            var item =
                pending[id].map { item in
                    GalleryPreview.Item(
                        imageID: item.imageID, standing: item.standing, file: item.file, job: item.job, thumbnail: nil,
                        error: item.error.map { PortalText.sanitized($0) })
                } ?? uploaded[id]?.item
                ?? .init(imageID: id, standing: .onPortal, file: nil, job: nil, thumbnail: nil, error: nil)
            item.leavingBy = leaving[id]
            return item
        }
        return GalleryPreview(mod: mod, items: items, first: first, count: order.count, orderSource: source)
    }

    /// `order` with the images of `base` that the removals among `reorders` take out put back at
    /// their place (after the nearest image before them that stays), each noted in `leaving`
    /// with the newest removal naming it.
    private func withLeaving(_ order: [String], base: [String], reorders: [Reorder], leaving: inout [String: Int64]) -> [String] {
        for reorder in reorders where reorder.imageIDs.isEmpty {
            for id in reorder.excluded { leaving[id] = reorder.job }
        }
        let staying = Set(order)
        leaving = leaving.filter { !staying.contains($0.key) && base.contains($0.key) }
        guard !leaving.isEmpty else { return order }
        var shown = order
        var placed = staying
        for (index, id) in base.enumerated() where leaving[id] != nil {
            let before = base[..<index].last { placed.contains($0) }
            let at = before.flatMap { shown.firstIndex(of: $0) }.map { $0 + 1 } ?? 0
            shown.insert(id, at: at)
            placed.insert(id)
        }
        return shown
    }

    /// The order `reorder` will leave: its listed images; then, if it keeps unlisted images,
    /// the others; and whatever is uploaded after it (an upload lands at the gallery's end).
    private func reordered(_ baseOrder: [String], by reorder: Reorder, pending: [String: GalleryPreview.Item]) throws -> [String] {
        // No listed images (a removal): the gallery as it stands, less what it takes out.
        if reorder.imageIDs.isEmpty { return baseOrder.filter { !reorder.excluded.contains($0) } }
        var order = reorder.imageIDs
        var listed = Set(order)
        let unlisted = baseOrder.filter { !listed.contains($0) && !reorder.excluded.contains($0) }
        let uploaded = reorder.keepUnlisted || unlisted.isEmpty ? [:] : try uploadedImages(nil)
        for id in unlisted {
            let job = pending[id]?.job ?? uploaded[id]?.job ?? 0
            if reorder.keepUnlisted || job > reorder.job {
                order.append(id)
                listed.insert(id)
            }
        }
        return order
    }

    /// The history's entry of each image (its first, should it hold several), as an item and its
    /// job (0 if none): of the images `ids`, or (nil) of every one.
    private func uploadedImages(_ ids: [String]?) throws -> [String: (item: GalleryPreview.Item, job: Int64)] {
        let columns = "image_id, thumbnail, file_path, job_id"
        let rows: [Row]
        if let ids {
            rows = try ids.flatMap { id in
                try db.rows("SELECT \(columns) FROM images WHERE mod = ? AND image_id = ? ORDER BY id LIMIT 1", [mod, id])
            }
        } else {
            rows = try db.rows("SELECT \(columns) FROM images WHERE mod = ? ORDER BY id", [mod])
        }
        var uploaded: [String: (item: GalleryPreview.Item, job: Int64)] = [:]
        for row in rows {
            guard let id = row.string("image_id"), uploaded[id] == nil else { continue }
            let job = row.int("job_id").map(Int64.init)
            uploaded[id] = (
                .init(imageID: id, standing: .uploaded, file: row.string("file_path"), job: job, thumbnail: row.string("thumbnail"), error: nil),
                job ?? 0
            )
        }
        return uploaded
    }

    /// The mod's uploads still to run or failed, in job order: read through the indexes of open
    /// jobs (`jobs_open_by_mod`) and of unsuccessful ones (`jobs_unsuccessful`), each stating the
    /// condition of its partial index, so the cost is that of these jobs, not of all the mod's.
    private func pendingUploads() throws -> [Row] {
        let columns = "id, state, file_path, file_sha1, last_error_code, last_error_message"
        let open = try db.rows(
            "SELECT \(columns) FROM jobs WHERE mod = ? AND \(JobSQL.isOpen()) AND kind = 'upload' ORDER BY id", [mod])
        let failed = try db.rows(
            """
            SELECT \(columns) FROM jobs WHERE state IN ('failed', 'cancelled') AND state = 'failed' AND mod = ? AND kind = 'upload'
            ORDER BY id
            """, [mod])
        return (open + failed).sorted { ($0.int("id") ?? 0) < ($1.int("id") ?? 0) }
    }

    /// The job of the newest edit in the mod's gallery model, if its job is still in the queue.
    private func lastEdit() throws -> Int64? {
        guard
            let row = try db.row(
                """
                SELECT l.job_id FROM gallery_log AS l JOIN jobs AS j ON j.id = l.job_id
                WHERE l.mod = ? AND l.kind = 'edited' ORDER BY l.id DESC LIMIT 1
                """, [mod]),
            let job = row.int("job_id")
        else { return nil }
        return Int64(job)
    }

    /// The mod's reorders still to run, oldest first, from the newest that sets the whole order
    /// (it lists images and keeps no others: what came before it no longer matters) on; read
    /// through the index of open jobs, so the cost is that of the mod's open jobs.
    private func openReorders() throws -> [Reorder] {
        let columns = "id, state, image_ids, keep_unlisted, exclude_ids"
        let open = "mod = ? AND kind = 'reorder' AND \(JobSQL.isOpen())"
        let whole = try db.row(
            "SELECT id FROM jobs INDEXED BY jobs_open_by_mod WHERE \(open) AND keep_unlisted = 0 AND image_ids != '' ORDER BY id DESC LIMIT 1",
            [mod])?.int("id") ?? 0
        let ids = { (text: String?) in (text ?? "").split(separator: ",").map { $0.lowercased() } }
        return try db.rows("SELECT \(columns) FROM jobs INDEXED BY jobs_open_by_mod WHERE \(open) AND id >= ? ORDER BY id", [mod, whole]).compactMap { row in
            guard let job = row.int("id"), let state = row.string("state").flatMap(JobState.init(rawValue:)) else { return nil }
            return Reorder(
                job: Int64(job), state: state, imageIDs: ids(row.string("image_ids")), keepUnlisted: row.int("keep_unlisted") == 1,
                excluded: Set(ids(row.string("exclude_ids"))))
        }
    }
}
