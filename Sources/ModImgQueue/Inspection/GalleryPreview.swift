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
    }

    /// What decided the order.
    public enum OrderSource: Sendable, Equatable {
        /// The mod's newest reorder still to run, or (state `done`) the last edit of the gallery model.
        case reorder(job: Int64, state: JobState)
        /// No edit: the history's order, then the uploads still to run.
        case history
    }

    public let mod: String
    public let items: [Item]
    public let orderSource: OrderSource
}

extension QueueQueries {
    /// The gallery in the order the queue will leave it: the gallery model (what this queue's
    /// uploads and edits left there, `GalleryModel`), then the uploads still to run; the mod's
    /// newest reorder still to run shapes it (its listed images; then, if it keeps unlisted
    /// images, the others; and whatever is uploaded after it). Failed uploads are shown where
    /// they would have been; cancelled ones are left out.
    public func gallery(mod: String) async throws -> GalleryPreview {
        try await database.read { db in try GalleryPreviewQuery(db: db, mod: mod).preview() }
    }

    /// The gallery this queue expects the mod to have now, from every change it made.
    public func galleryModel(mod: String) async throws -> GalleryModel {
        try await database.read { db in try GalleryLog.model(db, mod: mod) }
    }
}

private struct GalleryPreviewQuery {
    let db: Connection
    let mod: String

    private struct Reorder {
        let job: Int64
        let state: JobState
        let imageIDs: [String]
        let keepUnlisted: Bool
        let excluded: Set<String>
    }

    func preview() throws -> GalleryPreview {
        var known: [String: (item: GalleryPreview.Item, job: Int64)] = [:]
        for row in try db.rows("SELECT image_id, thumbnail, file_path, job_id FROM images WHERE mod = ? ORDER BY id", [mod]) {
            guard let id = row.string("image_id"), known[id] == nil else { continue }
            let job = row.int("job_id").map(Int64.init)
            known[id] = (
                .init(
                    imageID: id, standing: .uploaded, file: row.string("file_path"), job: job,
                    thumbnail: row.string("thumbnail"), error: nil), job ?? 0
            )
        }
        let model = try GalleryLog.model(db, mod: mod)
        var baseOrder = model.images
        var inBase = Set(baseOrder)
        for row in try db.rows(
            """
            SELECT id, state, file_path, file_sha1, last_error_code, last_error_message FROM jobs
            WHERE mod = ? AND kind = 'upload' AND state IN ('queued', 'added', 'failed') ORDER BY id
            """, [mod])
        {
            guard let id = row.string("file_sha1")?.lowercased(), !inBase.contains(id), let job = row.int("id"),
                let state = row.string("state").flatMap(JobState.init(rawValue:))
            else { continue }
            let standing: GalleryPreview.Standing = state == .failed ? .failed : state == .added ? .added : .queued
            let error = row.string("last_error_code").map { PortalText.sanitized("\($0): \(row.string("last_error_message") ?? "")") }
            known[id] = (
                .init(
                    imageID: id, standing: standing, file: row.string("file_path"), job: Int64(job), thumbnail: nil,
                    error: state == .failed ? error : nil), Int64(job)
            )
            baseOrder.append(id)
            inBase.insert(id)
        }
        let item = { (id: String) in
            known[id]?.item ?? .init(imageID: id, standing: .onPortal, file: nil, job: nil, thumbnail: nil, error: nil)
        }
        guard let reorder = try newestOpenReorder() else {
            let source: GalleryPreview.OrderSource =
                try lastEdit().map { .reorder(job: $0, state: .done) } ?? .history
            return GalleryPreview(mod: mod, items: baseOrder.map(item), orderSource: source)
        }
        var order = reorder.imageIDs.isEmpty ? baseOrder.filter { !reorder.excluded.contains($0) } : reorder.imageIDs
        var listed = Set(order)
        // Images the reorder keeps, or that are uploaded after it (an upload lands at the gallery's end).
        for id in baseOrder where !listed.contains(id) && !reorder.excluded.contains(id) {
            if reorder.keepUnlisted || (known[id]?.job ?? 0) > reorder.job {
                order.append(id)
                listed.insert(id)
            }
        }
        return GalleryPreview(mod: mod, items: order.map(item), orderSource: .reorder(job: reorder.job, state: reorder.state))
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

    private func newestOpenReorder() throws -> Reorder? {
        guard
            let row = try db.row(
                """
                SELECT id, state, image_ids, keep_unlisted, exclude_ids FROM jobs
                WHERE mod = ? AND kind = 'reorder' AND state IN ('queued', 'added') ORDER BY id DESC LIMIT 1
                """, [mod]),
            let job = row.int("id"), let state = row.string("state").flatMap(JobState.init(rawValue:))
        else { return nil }
        let ids = { (text: String?) in (text ?? "").split(separator: ",").map { $0.lowercased() } }
        return Reorder(
            job: Int64(job), state: state, imageIDs: ids(row.string("image_ids")), keepUnlisted: row.int("keep_unlisted") == 1,
            excluded: Set(ids(row.string("exclude_ids"))))
    }
}
