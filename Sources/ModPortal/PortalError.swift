import Foundation

/// The error codes the API page lists for the `error` field of a response.
public enum PortalErrorCode: String, Sendable, CaseIterable {
    case invalidApiKey = "InvalidApiKey"
    case invalidRequest = "InvalidRequest"
    case internalError = "InternalError"
    case forbidden = "Forbidden"
    case unknown = "Unknown"
    case invalidImageUpload = "InvalidImageUpload"
    case unknownMod = "UnknownMod"
}

/// Everything that can go wrong talking to the portal.
public enum PortalError: Error, Sendable, Equatable {
    /// The portal answered JSON with an `error` field. `code` is raw so unlisted codes survive.
    case api(code: String, message: String, httpStatus: Int, retryAfter: Double?)
    /// HTTP 429 without a recognised error body.
    case rateLimited(httpStatus: Int, retryAfter: Double?)
    /// HTTP 5xx without a recognised error body (e.g. an HTML error page from a proxy).
    case server(httpStatus: Int, retryAfter: Double?, snippet: String)
    /// The answer was not the JSON the API page describes (HTML, truncated, wrong shape).
    case malformedResponse(httpStatus: Int, detail: String)
    /// No answer: connection reset, TLS, or a timeout.
    case transport(String)
    /// No connection at all: refused, or the host name does not resolve. Transient for a
    /// worker that waits; a command that asks once says so at once.
    case unreachable(String)
    /// `add` answered an `upload_url` on a host that is not the portal's.
    case foreignUploadURL(String)
    /// The stored `upload_url` was refused as unknown, used or expired.
    case uploadURLNotValid(httpStatus: Int, message: String)
    /// No API key was given at all.
    case missingApiKey
    /// The bytes an upload read from its file while streaming it are not the bytes whose SHA1
    /// the job queued (the file was rewritten in place): the request was cut off before its
    /// last bytes, so the portal stored nothing.
    case fileChangedWhileSending(readSHA1: String, bytesRead: Int64)

    public var apiCode: PortalErrorCode? {
        if case .api(let code, _, _, _) = self { return PortalErrorCode(rawValue: code) }
        return nil
    }

    public var retryAfter: Double? {
        switch self {
        case .api(_, _, _, let retryAfter), .rateLimited(_, let retryAfter), .server(_, let retryAfter, _):
            return retryAfter
        default:
            return nil
        }
    }

    /// Whether the portal refused an upload as a repeat of an image it already has. Its wording
    /// is not documented: any API error whose message says the image "already exists".
    public var saysAlreadyExists: Bool {
        guard case .api(_, let message, _, _) = self else { return false }
        return message.range(of: "already exist", options: .caseInsensitive) != nil
    }

    /// A short code for logs and `status`: the API's own code where there is one.
    public var code: String {
        switch self {
        case .api(let code, _, _, _): return code
        case .rateLimited: return "HTTP429"
        case .server(let status, _, _): return "HTTP\(status)"
        case .malformedResponse: return "MalformedResponse"
        case .transport, .unreachable: return "Transport"
        case .foreignUploadURL: return "ForeignUploadURL"
        case .uploadURLNotValid: return "UploadURLNotValid"
        case .missingApiKey: return "MissingApiKey"
        case .fileChangedWhileSending: return "FileChanged"
        }
    }

    public var message: String {
        switch self {
        case .api(_, let message, let status, _):
            return message.isEmpty ? "HTTP \(status)" : message
        case .rateLimited(_, let retryAfter):
            // Any number may come from the header: only a sane one is shown as a whole number of seconds.
            let seconds = retryAfter.flatMap { $0.isFinite && $0 >= 0 && $0 < 1e9 ? $0.wholeClamped() : nil }
            return "rate limited by the portal" + (seconds.map { ", retry after \($0) s" } ?? "")
        case .server(let status, _, let snippet):
            return "server error HTTP \(status)" + (snippet.isEmpty ? "" : ": \(snippet)")
        case .malformedResponse(let status, let detail):
            return "unexpected answer (HTTP \(status)): \(detail)"
        case .transport(let detail):
            return "no answer from the portal: \(detail)"
        case .unreachable(let detail):
            return "cannot connect to the portal: \(detail)"
        case .foreignUploadURL(let host):
            return "the portal answered an upload_url on a foreign host (\(host)); refusing to send the image there"
        case .uploadURLNotValid(let status, let message):
            return "the upload_url is no longer valid (HTTP \(status))" + (message.isEmpty ? "" : ": \(message)")
        case .missingApiKey:
            return "no API key"
        case .fileChangedWhileSending(let sha1, let bytes):
            return "the file changed while it was being sent (the \(bytes) bytes read have SHA1 \(sha1)); "
                + "the request was cut off before its end, so the portal stored nothing"
        }
    }
}

extension PortalError: CustomStringConvertible {
    public var description: String { "\(code): \(message)" }
}
