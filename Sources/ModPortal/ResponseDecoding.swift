import Foundation

/// Turns an HTTP status, headers and body into a value or a `PortalError`.
/// Kept apart from the transport so every odd answer can be tested without a network.
enum ResponseDecoding {
    struct ErrorBody: Decodable {
        let error: String
        let message: String?
    }

    struct AddBody: Decodable { let upload_url: String }

    struct EditBody: Decodable {
        let success: Bool
        let images: [PortalImage]
    }

    struct FullBody: Decodable {
        let images: [PortalImage]?
    }

    /// Decodes a success body of type `T`, or classifies the failure. Every text taken from the
    /// body into an error has `secrets` (the key sent) and any credential redacted.
    static func decode<T: Decodable>(
        _ type: T.Type, status: Int, retryAfterHeader: String?, body: Data, redacting secrets: [String] = []
    ) throws(PortalError) -> T {
        let retryAfter = retryAfterHeader.flatMap(parseRetryAfter)
        if let errorBody = try? JSONDecoder().decode(ErrorBody.self, from: body) {
            throw .api(
                code: PortalText.sanitized(errorBody.error, limit: 64, redacting: secrets),
                message: PortalText.sanitized(errorBody.message ?? "", redacting: secrets),
                httpStatus: status, retryAfter: retryAfter)
        }
        if status == 429 { throw .rateLimited(httpStatus: status, retryAfter: retryAfter) }
        if status >= 500 {
            throw .server(httpStatus: status, retryAfter: retryAfter, snippet: snippet(of: body, redacting: secrets))
        }
        guard (200..<300).contains(status) else {
            throw .malformedResponse(httpStatus: status, detail: "HTTP \(status): \(snippet(of: body, redacting: secrets))")
        }
        do {
            return try JSONDecoder().decode(T.self, from: body)
        } catch {
            let what = body.isEmpty ? "an empty body" : "not the expected JSON: \(snippet(of: body, redacting: secrets))"
            throw .malformedResponse(httpStatus: status, detail: what)
        }
    }

    /// The listing (`GET /api/mods/<mod>/full`). Only the portal's own JSON "not found" answer
    /// means the mod does not exist; an HTML or other non-JSON 404 (a proxy, a cache, a
    /// maintenance page) is transient, like a 5xx.
    static func decodeListing(status: Int, retryAfterHeader: String?, body: Data, redacting secrets: [String] = []) throws(PortalError)
        -> [PortalImage]
    {
        if status == 404 {
            if (try? JSONDecoder().decode(MessageBody.self, from: body)) != nil {
                throw .api(code: "UnknownMod", message: "the portal has no mod of this name", httpStatus: 404, retryAfter: nil)
            }
            throw .server(
                httpStatus: 404, retryAfter: retryAfterHeader.flatMap(parseRetryAfter), snippet: snippet(of: body, redacting: secrets))
        }
        return try decode(FullBody.self, status: status, retryAfterHeader: retryAfterHeader, body: body, redacting: secrets).images ?? []
    }

    struct MessageBody: Decodable { let message: String }

    /// `Retry-After` as seconds from now, as HTTP defines it: delay-seconds (digits only) or an
    /// HTTP date. Anything else (`inf`, `1e300`, `-5`, `NaN`, text) is no value at all, so the
    /// normal backoff applies; the caller caps a valid value that is too large.
    static func parseRetryAfter(_ value: String) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, trimmed.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
            // More digits than any sane delay: read as "very long", which the cap then cuts.
            return trimmed.utf8.count > 9 ? 1e9 : Double(trimmed)
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return max(0, date.timeIntervalSinceNow)
    }

    /// The start of a body, made safe and one line (an HTML page as its title), for error messages.
    static func snippet(of body: Data, redacting secrets: [String] = []) -> String {
        let text = String(decoding: body.prefix(4096), as: UTF8.self)
        return PortalText.sanitized(text, limit: 160, redacting: secrets)
    }
}
