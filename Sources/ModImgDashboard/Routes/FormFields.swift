import Foundation
import Hummingbird

/// The fields of a posted form, in order (a name may repeat): `application/x-www-form-urlencoded`,
/// or the text fields of a `multipart/form-data` one (see `MultipartForm`).
struct FormFields: Sendable {
    /// Forms here are a few ids and tokens; a body beyond this is refused.
    static let maximumBytes = 256 << 10

    let pairs: [(name: String, value: String)]

    init(pairs: [(name: String, value: String)]) {
        self.pairs = pairs
    }

    init(_ body: String) {
        pairs = body.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring?) -> String {
                (part.map { String($0).replacingOccurrences(of: "+", with: " ") } ?? "").removingPercentEncoding ?? ""
            }
            return (decode(parts.first), decode(parts.count > 1 ? parts[1] : nil))
        }
    }

    /// The body of `request`, read (it stays readable for the route after this).
    static func read(_ request: inout Request) async throws -> FormFields {
        if let form = try await MultipartForm.read(&request) { return form.fields }
        let buffer = try await request.collectBody(upTo: maximumBytes)
        return FormFields(String(buffer: buffer))
    }

    subscript(_ name: String) -> String? { pairs.first { $0.name == name }?.value }

    func all(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }
}
