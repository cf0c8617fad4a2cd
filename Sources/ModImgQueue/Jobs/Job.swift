import Foundation
import SQLiteStore

public enum JobKind: String, Sendable, CaseIterable {
    case upload, reorder
}

public enum JobState: String, Sendable, CaseIterable {
    /// Waiting to run (an upload not yet `add`ed, or a reorder).
    case queued
    /// `add` succeeded and its `upload_url` is stored; the upload itself is pending.
    case added
    case done
    case failed
    case cancelled

    public var isFinished: Bool { self == .done || self == .failed || self == .cancelled }
}

/// One unit of work, as stored in the `jobs` table.
public struct Job: Sendable, Equatable {
    public let id: Int64
    public let kind: JobKind
    public let mod: String
    public var state: JobState
    public let filePath: String?
    public let fileSHA1: String?
    public let fileSize: Int64?
    public let imageIDs: [String]
    /// A reorder that keeps the gallery's unlisted images after the listed ones.
    public let keepUnlisted: Bool
    public var uploadURL: URL?
    public var readdCount: Int
    public var attempts: Int
    public var nextAttemptAt: Double
    public var lastErrorCode: String?
    public var lastErrorMessage: String?

    init(row: Row) throws {
        guard let id = row.int("id"), let kind = row.string("kind").flatMap(JobKind.init(rawValue:)),
            let mod = row.string("mod"), let state = row.string("state").flatMap(JobState.init(rawValue:))
        else { throw QueueError.corruptRow("jobs") }
        self.id = Int64(id)
        self.kind = kind
        self.mod = mod
        self.state = state
        self.filePath = row.string("file_path")
        self.fileSHA1 = row.string("file_sha1")
        self.fileSize = row.int("file_size").map(Int64.init)
        self.imageIDs = row.string("image_ids").map { $0.split(separator: ",").map(String.init) } ?? []
        self.keepUnlisted = row.int("keep_unlisted") == 1
        self.uploadURL = row.string("upload_url").flatMap(URL.init(string:))
        self.readdCount = row.int("readd_count") ?? 0
        self.attempts = row.int("attempts") ?? 0
        self.nextAttemptAt = row.double("next_attempt_at") ?? 0
        self.lastErrorCode = row.string("last_error_code")
        self.lastErrorMessage = row.string("last_error_message")
    }
}
