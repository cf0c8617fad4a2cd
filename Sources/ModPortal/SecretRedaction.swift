import Foundation

/// Credentials that a portal, a proxy or a web application firewall may echo back in an answer
/// ("Malformed header: Authorization: Bearer …"), taken out of the text before it is stored,
/// shown, logged or served.
public enum SecretRedaction {
    public static let placeholder = "[redacted]"

    /// `text` with each of `secrets` (as it is, and as JSON escapes it), the token after any
    /// `Bearer`, and (unless `headerValues` is false) the value of any `Authorization:` header,
    /// up to the end of its line, replaced by `[redacted]`.
    public static func redacted(_ text: String, secrets: [String] = [], headerValues: Bool = true) -> String {
        var result = text
        for secret in secrets where !secret.isEmpty {
            for form in Set([secret, jsonEscaped(secret)]) where result.contains(form) {
                result = result.replacingOccurrences(of: form, with: placeholder)
            }
        }
        guard
            result.range(of: "bearer", options: .caseInsensitive) != nil
                || result.range(of: "authorization", options: .caseInsensitive) != nil
        else { return result }
        // A header value runs to the end of its line, or to the quote or tag that ends the text around it.
        if headerValues {
            result = result.replacing(/(?i)(authorization[ \t]*[:=][ \t]*)[^\r\n"'<>]*[^\r\n"'<> \t]/) { match in
                match.output.1 + placeholder
            }
        }
        result = result.replacing(/(?i)(bearer[ \t]+)[^\s"'<>\\;,]+/) { match in
            match.output.1 + placeholder
        }
        return result
    }

    /// `secret` as a JSON encoder writes it inside a string (`/` and `"` and `\` escaped).
    static func jsonEscaped(_ secret: String) -> String {
        secret.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "/", with: "\\/")
    }
}

extension SecretRedaction {
    /// `body` with each of `secrets` (as it is, and as JSON escapes it) replaced by `[redacted]`,
    /// before anything is decoded from it: an `upload_url` or image address that carries the
    /// key is never stored with it.
    static func redacted(_ body: Data, secrets: [String]) -> Data {
        var result = body
        for secret in secrets where !secret.isEmpty {
            for form in Set([secret, jsonEscaped(secret)]) {
                let needle = Data(form.utf8)
                var searchStart = result.startIndex
                while let found = result.range(of: needle, in: searchStart..<result.endIndex) {
                    result.replaceSubrange(found, with: Data(placeholder.utf8))
                    searchStart = found.lowerBound + placeholder.utf8.count
                }
            }
        }
        return result
    }
}

extension PortalError {
    /// This error with each of `secrets`, and any credential, taken out of every text it carries.
    func redacting(_ secrets: [String]) -> PortalError {
        let clean = { (text: String) in SecretRedaction.redacted(text, secrets: secrets) }
        switch self {
        case .api(let code, let message, let status, let retryAfter):
            return .api(code: clean(code), message: clean(message), httpStatus: status, retryAfter: retryAfter)
        case .server(let status, let retryAfter, let snippet):
            return .server(httpStatus: status, retryAfter: retryAfter, snippet: clean(snippet))
        case .malformedResponse(let status, let detail):
            return .malformedResponse(httpStatus: status, detail: clean(detail))
        case .transport(let detail):
            return .transport(clean(detail))
        case .unreachable(let detail):
            return .unreachable(clean(detail))
        case .foreignUploadURL(let host):
            return .foreignUploadURL(clean(host))
        case .uploadURLNotValid(let status, let message):
            return .uploadURLNotValid(httpStatus: status, message: clean(message))
        default:
            // No text from the answer in it.
            return self
        }
    }
}
