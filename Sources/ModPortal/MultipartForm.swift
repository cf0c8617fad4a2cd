import Foundation

/// A `multipart/form-data` body, as the API page asks for.
struct MultipartForm {
    let boundary: String

    init(boundary: String = "modimg-queue-" + UUID().uuidString) {
        self.boundary = boundary
    }

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    /// A body of plain text fields.
    func body(fields: [(name: String, value: String)]) -> Data {
        var data = Data()
        for field in fields {
            data.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field.name)\"\r\n\r\n".utf8))
            data.append(Data(field.value.utf8))
            data.append(Data("\r\n".utf8))
        }
        data.append(Data("--\(boundary)--\r\n".utf8))
        return data
    }

    /// What goes before a file's bytes in a one-file body.
    func filePrefix(field: String, fileName: String, contentType: String) -> Data {
        let safeName = fileName.replacingOccurrences(of: "\"", with: "_")
            .replacingOccurrences(of: "\r", with: "_").replacingOccurrences(of: "\n", with: "_")
        return Data(
            ("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(safeName)\"\r\n"
                + "Content-Type: \(contentType)\r\n\r\n").utf8)
    }

    /// What goes after a file's bytes in a one-file body.
    var fileSuffix: Data { Data("\r\n--\(boundary)--\r\n".utf8) }
}
