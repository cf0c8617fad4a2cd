import FormData
import Foundation
import Hummingbird

/// A posted `multipart/form-data` form: its text fields and its files, located in the body by
/// the shared parser (`FormData`) and copied out once each.
struct MultipartForm: Sendable {
    /// The portal takes images of up to 20 MiB (`ImageFile.defaultMaxBytes`); a few at once fit here.
    static let maximumBytes = 64 << 20

    struct File: Sendable {
        let field: String
        let name: String
        let data: Data
    }

    enum Problem: Error, CustomStringConvertible {
        case malformed

        var description: String {
            "The form's body is not multipart/form-data as its Content-Type says: send it again from the dashboard's page."
        }
    }

    let fields: FormFields
    let files: [File]

    /// The form `request` carries, or nil when its body is not `multipart/form-data`. The body
    /// stays readable for the route after this.
    static func read(_ request: inout Request) async throws -> MultipartForm? {
        guard let boundary = MultipartParser.boundary(contentType: request.headers[.contentType]) else { return nil }
        let buffer = try await request.collectBody(upTo: maximumBytes)
        return try buffer.withUnsafeReadableBytes { body in
            guard let parts = try? MultipartParser.parse(body, boundary: boundary) else { throw Problem.malformed }
            var fields: [(name: String, value: String)] = []
            var files: [File] = []
            for part in parts {
                guard let field = part.name else { continue }
                let bytes = UnsafeRawBufferPointer(rebasing: body[part.range])
                if let name = part.filename {
                    // A file input left empty still sends a part, with no name and no bytes.
                    guard !name.isEmpty || !bytes.isEmpty else { continue }
                    files.append(File(field: field, name: name, data: Data(bytes)))
                } else {
                    fields.append((field, String(decoding: bytes, as: UTF8.self)))
                }
            }
            return MultipartForm(fields: FormFields(pairs: fields), files: files)
        }
    }
}
