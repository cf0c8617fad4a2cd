import ModPortal

/// Why a job failed or is being retried: a code and a sentence.
public struct JobFailure: Error, Sendable, Equatable {
    public let code: FailureCode
    public let message: String

    public init(_ code: FailureCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}

/// The codes a job can fail with: the queue's own, and the portal's (as `PortalError.code` names them).
public enum FailureCode: Sendable, Hashable, RawRepresentable {
    /// The file cannot be read any more.
    case fileUnreadable
    /// The file's content is not what was queued.
    case fileChanged
    /// The portal stored the image under an id that is not the file's SHA1.
    case idMismatch
    /// The portal refused several `upload_url`s in a row.
    case uploadURLNotValid
    /// An upload this reorder waits for failed or was cancelled.
    case dependencyFailed
    /// `edit` answered another gallery than the one asked for.
    case galleryMismatch
    /// The job row does not hold what its kind needs.
    case invalidJob
    /// An error code from the portal or its transport (`UnknownMod`, `HTTP503`, `Transport`, …).
    case portal(String)

    public init(rawValue: String) {
        switch rawValue {
        case "FileUnreadable": self = .fileUnreadable
        case "FileChanged": self = .fileChanged
        case "IdMismatch": self = .idMismatch
        case "UploadURLNotValid": self = .uploadURLNotValid
        case "DependencyFailed": self = .dependencyFailed
        case "GalleryMismatch": self = .galleryMismatch
        case "InvalidJob": self = .invalidJob
        default: self = .portal(rawValue)
        }
    }

    public init(_ error: PortalError) {
        self.init(rawValue: error.code)
    }

    public var rawValue: String {
        switch self {
        case .fileUnreadable: return "FileUnreadable"
        case .fileChanged: return "FileChanged"
        case .idMismatch: return "IdMismatch"
        case .uploadURLNotValid: return "UploadURLNotValid"
        case .dependencyFailed: return "DependencyFailed"
        case .galleryMismatch: return "GalleryMismatch"
        case .invalidJob: return "InvalidJob"
        case .portal(let code): return code
        }
    }
}
