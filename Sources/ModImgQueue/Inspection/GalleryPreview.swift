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
        /// The mod's newest reorder that is done or still to run.
        case reorder(job: Int64, state: JobState)
        /// No such reorder: the history's order, then the uploads still to run.
        case history
    }

    public let mod: String
    public let items: [Item]
    public let orderSource: OrderSource
}

extension QueueQueries {
    /// The gallery in the order the queue will leave it: the mod's newest reorder that is done
    /// or still to run (its listed images; then, if it keeps unlisted images, the others; and
    /// whatever is uploaded after it), else the history's order followed by the uploads still to
    /// run. Failed uploads are shown where they would have been; cancelled ones are left out.
    public func gallery(mod: String) async throws -> GalleryPreview {
        try await database.read { db in try GalleryPreviewQuery(db: db, mod: mod).preview() }
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
        var baseOrder: [String] = []
        for row in try db.rows("SELECT image_id, thumbnail, file_path, job_id FROM images WHERE mod = ? ORDER BY id", [mod]) {
            guard let id = row.string("image_id"), known[id] == nil else { continue }
            let job = row.int("job_id").map(Int64.init)
            known[id] = (
                .init(
                    imageID: id, standing: .uploaded, file: row.string("file_path"), job: job,
                    thumbnail: row.string("thumbnail"), error: nil), job ?? 0
            )
            baseOrder.append(id)
        }
        for row in try db.rows(
            """
            SELECT id, state, file_path, file_sha1, last_error_code, last_error_message FROM jobs
            WHERE mod = ? AND kind = 'upload' AND state IN ('queued', 'added', 'failed') ORDER BY id
            """, [mod])
        {
            guard let id = row.string("file_sha1")?.lowercased(), known[id] == nil, let job = row.int("id"),
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
        }
        guard let reorder = try newestReorder() else {
            return GalleryPreview(mod: mod, items: baseOrder.compactMap { known[$0]?.item }, orderSource: .history)
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
        let items = order.map { id in
            known[id]?.item
                ?? .init(imageID: id, standing: .onPortal, file: nil, job: nil, thumbnail: nil, error: nil)
        }
        return GalleryPreview(mod: mod, items: items, orderSource: .reorder(job: reorder.job, state: reorder.state))
    }

    private func newestReorder() throws -> Reorder? {
        guard
            let row = try db.row(
                """
                SELECT id, state, image_ids, keep_unlisted, exclude_ids FROM jobs
                WHERE mod = ? AND kind = 'reorder' AND state IN ('queued', 'added', 'done') ORDER BY id DESC LIMIT 1
                """, [mod]),
            let job = row.int("id"), let state = row.string("state").flatMap(JobState.init(rawValue:))
        else { return nil }
        let ids = { (text: String?) in (text ?? "").split(separator: ",").map { $0.lowercased() } }
        return Reorder(
            job: Int64(job), state: state, imageIDs: ids(row.string("image_ids")), keepUnlisted: row.int("keep_unlisted") == 1,
            excluded: Set(ids(row.string("exclude_ids"))))
    }
}
