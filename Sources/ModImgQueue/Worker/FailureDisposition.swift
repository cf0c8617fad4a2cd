import ModPortal

/// What the worker does about a failed call: a pure function of the error, tested per code.
public enum FailureDisposition: Equatable, Sendable {
    /// Try again later with backoff (network, 5xx, 429, `InternalError`, `Unknown`, odd answers).
    case retry
    /// The job cannot succeed as it is: mark it failed with the code and message.
    case fail
    /// Nothing can succeed without a valid key: stop the worker, leave the job as it was.
    case stopWorker

    public static func of(_ error: PortalError) -> FailureDisposition {
        switch error {
        case .missingApiKey:
            return .stopWorker
        case .api(let code, _, let status, _):
            switch PortalErrorCode(rawValue: code) {
            case .invalidApiKey: return .stopWorker
            case .internalError, .unknown: return .retry
            case .invalidRequest, .invalidImageUpload, .unknownMod, .forbidden: return .fail
            case nil:
                // A code the API page does not list: trust the HTTP status.
                return status == 429 || status >= 500 ? .retry : .fail
            }
        case .rateLimited, .server, .transport, .unreachable, .malformedResponse:
            return .retry
        case .foreignUploadURL, .uploadURLNotValid, .fileChangedWhileSending:
            return .fail
        }
    }
}
