import Hummingbird
import NIOCore

/// The drip fault's answer: the normal status and headers at once, then the body one byte at a
/// time, `byteEvery` milliseconds apart. A client whose deadline covers only the headers waits
/// as long as the drip lasts.
enum DrippedAnswer {
    static func make(from response: Response, byteEvery milliseconds: Int) async throws -> Response {
        let body = try await TruncatedAnswer.bytes(of: response.body)
        return Response(
            status: response.status,
            headers: response.headers,
            body: ResponseBody(contentLength: body.readableBytes) { writer in
                var remaining = body
                while let byte = remaining.readSlice(length: 1) {
                    try await writer.write(byte)
                    try await Task.sleep(for: .milliseconds(milliseconds))
                }
                try await writer.finish(nil)
            }
        )
    }
}
