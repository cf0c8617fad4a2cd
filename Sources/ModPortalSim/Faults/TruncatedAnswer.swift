import HTTPTypes
import Hummingbird
import NIOCore

/// The truncated fault's answer: the normal response's status and headers, but only the first half
/// of its body, framed as complete (`Content-Length` of the half and `Connection: close`), after
/// which the server shuts its side of the connection. The client gets JSON that does not parse,
/// not a transport error; `CannedResponse.truncated` covers the other kind (body shorter than
/// its `Content-Length`).
enum TruncatedAnswer {
    static func make(from response: Response, closing channel: any Channel) async throws -> Response {
        let body = try await bytes(of: response.body)
        let half = body.getSlice(at: body.readerIndex, length: body.readableBytes / 2) ?? ByteBuffer()
        var headers = response.headers
        headers[.contentLength] = nil
        headers[.connection] = "close"
        return Response(
            status: response.status,
            headers: headers,
            body: ResponseBody(contentLength: half.readableBytes) { writer in
                try await writer.write(half)
                try await writer.finish(nil)
                // Output only: a full close would drop writes still pending; this one waits for them.
                channel.close(mode: .output, promise: nil)
            }
        )
    }

    /// The whole body of a response built in memory.
    static func bytes(of body: ResponseBody) async throws -> ByteBuffer {
        let sink = Locked(ByteBuffer())
        try await body.write(CollectingBodyWriter(sink: sink))
        return sink.withLock { $0 }
    }
}

/// Collects a response body into a buffer instead of sending it.
private struct CollectingBodyWriter: ResponseBodyWriter {
    let sink: Locked<ByteBuffer>

    mutating func write(_ buffer: ByteBuffer) async throws {
        sink.withLock { collected in
            var buffer = buffer
            collected.writeBuffer(&buffer)
        }
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
