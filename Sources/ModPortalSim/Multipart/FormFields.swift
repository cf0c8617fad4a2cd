import FormData
import Foundation

/// The text fields of an `add` or `edit` body, sent as multipart/form-data or
/// application/x-www-form-urlencoded (the API page's own examples use the latter).
enum FormFields {
    /// Fields of `body` according to `contentType`; a body of any other type is read as urlencoded.
    static func decode(_ body: UnsafeRawBufferPointer, contentType: String?) throws -> [String: String] {
        if let boundary = MultipartParser.boundary(contentType: contentType) {
            let parts = try MultipartParser.parse(body, boundary: boundary)
            return MultipartParser.textFields(body, parts: parts)
        }
        if let contentType, HeaderParameters.parse(contentType).value.lowercased() == "multipart/form-data" {
            throw MultipartError.missingBoundary
        }
        return urlEncoded(String(decoding: body, as: UTF8.self))
    }

    /// Fields of an application/x-www-form-urlencoded string; the first of a repeated name wins.
    static func urlEncoded(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let keyValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = decodeComponent(keyValue[0])
            let value = keyValue.count > 1 ? decodeComponent(keyValue[1]) : ""
            if fields[key] == nil { fields[key] = value }
        }
        return fields
    }

    private static func decodeComponent(_ component: Substring) -> String {
        let spaced = component.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
