import Foundation

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
}

/// One unit of work, as stored in the `jobs` table.
public struct Job: Sendable, Equatable {
    public let id: Int64
    public let mod: String
    public var state: JobState
    public var work: Work
    /// How many transient failures it has had since it was queued (or retried by hand).
    public var attempts: Int
    /// The failure behind its last retry, or its failure.
    public var lastFailure: JobFailure?

    /// What the job does: the two kinds, each with exactly what it needs.
    public enum Work: Sendable, Equatable {
        case upload(Upload)
        case reorder(Reorder)
    }

    public struct Upload: Sendable, Equatable {
        public let path: String
        /// The SHA1 and size taken when the job was queued.
        public let sha1: String
        public let size: Int64
        /// Set once `add` succeeded; committed before the upload starts.
        public var uploadURL: URL?
        /// How many times it went back to `add` after its `upload_url` was refused.
        public var readdCount: Int
        /// An upload request was sent in an earlier run: the image may be in the gallery already.
        public var uploadSent: Bool = false
    }

    public struct Reorder: Sendable, Equatable {
        public let imageIDs: [String]
        /// Keeps the gallery's unlisted images after the listed ones.
        public let keepUnlisted: Bool
        /// Images taken out of the gallery, wherever they are in it (`remove`: no listed images,
        /// the unlisted kept, these left out).
        public var excludedIDs: [String] = []
    }

    public var kind: JobKind {
        switch work {
        case .upload: return .upload
        case .reorder: return .reorder
        }
    }

    public var upload: Upload? {
        if case .upload(let upload) = work { return upload }
        return nil
    }

    public var reorder: Reorder? {
        if case .reorder(let reorder) = work { return reorder }
        return nil
    }
}
