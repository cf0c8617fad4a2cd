import Foundation
import SQLiteStore

extension Job {
    /// The columns `init(row:)` reads.
    static let columns = """
        id, kind, mod, state, file_path, file_sha1, file_size, image_ids, upload_url, readd_count,
        attempts, last_error_code, last_error_message, keep_unlisted, upload_sent, exclude_ids
        """

    init(row: Row) throws {
        guard let id = row.int("id"), let mod = row.string("mod"),
            let state = row.string("state").flatMap(JobState.init(rawValue:))
        else { throw QueueError.corruptRow("jobs") }
        switch row.string("kind") {
        case JobKind.upload.rawValue:
            guard let path = row.string("file_path"), let sha1 = row.string("file_sha1"), let size = row.int("file_size")
            else { throw QueueError.corruptRow("jobs") }
            work = .upload(
                Upload(
                    path: path, sha1: sha1, size: Int64(size), uploadURL: row.string("upload_url").flatMap(URL.init(string:)),
                    readdCount: row.int("readd_count") ?? 0, uploadSent: row.int("upload_sent") == 1))
        case JobKind.reorder.rawValue:
            guard let ids = row.string("image_ids") else { throw QueueError.corruptRow("jobs") }
            work = .reorder(
                Reorder(
                    imageIDs: ids.split(separator: ",").map(String.init), keepUnlisted: row.int("keep_unlisted") == 1,
                    excludedIDs: (row.string("exclude_ids") ?? "").split(separator: ",").map(String.init)))
        default:
            throw QueueError.corruptRow("jobs")
        }
        self.id = Int64(id)
        self.mod = mod
        self.state = state
        self.attempts = row.int("attempts") ?? 0
        self.lastFailure = row.string("last_error_code").map {
            JobFailure(FailureCode(rawValue: $0), row.string("last_error_message") ?? "")
        }
    }
}
