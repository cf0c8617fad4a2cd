import HTTPTypes
import Hummingbird

/// Thrown while writing a truncated canned response, so Hummingbird closes the connection mid-body.
struct TruncatedResponseError: Error {}

extension CannedResponse {
    /// The Hummingbird response this canned response stands for.
    var response: Response {
        var fields = HTTPFields()
        for (name, value) in headers {
            guard let fieldName = HTTPField.Name(name) else { continue }
            fields[fieldName] = value
        }
        let bytes = ByteBuffer(string: body)
        let status = SimResponses.httpStatus(status)
        guard truncated else {
            return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: bytes))
        }
        fields[.contentLength] = String(bytes.readableBytes)
        let part = bytes.getSlice(at: bytes.readerIndex, length: bytes.readableBytes / 2) ?? ByteBuffer()
        return Response(
            status: status,
            headers: fields,
            body: ResponseBody(contentLength: bytes.readableBytes) { writer in
                if part.readableBytes > 0 { try await writer.write(part) }
                // Give the event loop a moment to put the head and partial body on the wire.
                try await Task.sleep(for: .milliseconds(50))
                throw TruncatedResponseError()
            }
        )
    }
}
