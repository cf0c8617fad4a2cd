import Foundation
import Hummingbird
import NIOCore
import ModImgQueue

/// How the dashboard answers: pages, JSON, images and 404s, each with the same safe headers.
enum Responses {
    static func page(_ html: HTML, status: HTTPResponse.Status = .ok) -> Response {
        respond(status, "text/html; charset=utf-8", ByteBuffer(string: html.rendered))
    }

    /// `value` through the CLI's own `--json` encoder; `next`, the address of the next page of a
    /// list, goes in a `Link` header.
    static func json(_ value: some Encodable, next: String? = nil) throws -> Response {
        var response = respond(.ok, "application/json; charset=utf-8", ByteBuffer(bytes: try QueueJSON.encode(value)))
        if let next { response.headers[.init("Link")!] = "<\(next)>; rel=\"next\"" }
        return response
    }

    static func jsonError(_ status: HTTPResponse.Status, _ message: String) -> Response {
        let body = (try? QueueJSON.encode(["error": message])) ?? Data()
        return respond(status, "application/json; charset=utf-8", ByteBuffer(bytes: body))
    }

    /// The bytes `range` of an image file, read from its open descriptor as they are sent (see
    /// `FileStream`): 206 with `Content-Range` for a part, 200 for the whole.
    static func image(
        _ image: QueuedImageFile, contentType: String, range: Range<Int64>, partial: Bool, eventLoop: any EventLoop
    ) -> Response {
        var headers = safeHeaders(contentType)
        headers[.cacheControl] = "private, max-age=60"
        headers[.acceptRanges] = "bytes"
        if partial { headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound - 1)/\(image.size)" }
        return Response(status: partial ? .partialContent : .ok, headers: headers, body: FileStream.body(image.file, range, eventLoop: eventLoop))
    }

    /// 416: no part of the file's `size` bytes is what the `Range` header asked for.
    static func rangeNotSatisfiable(size: Int64) -> Response {
        var response = respond(
            .rangeNotSatisfiable, "text/plain; charset=utf-8",
            ByteBuffer(string: "The range asked for is not one range of bytes within this file of \(size) bytes.\n"))
        response.headers[.contentRange] = "bytes */\(size)"
        return response
    }

    static func notFound(_ message: String = "There is nothing at this address.") -> Response {
        page(MessagePage.notFound(message), status: .notFound)
    }

    private static func respond(_ status: HTTPResponse.Status, _ contentType: String, _ body: ByteBuffer) -> Response {
        Response(status: status, headers: safeHeaders(contentType), body: .init(byteBuffer: body))
    }

    private static func safeHeaders(_ contentType: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.cacheControl] = "no-store"
        headers[.xContentTypeOptions] = "nosniff"
        // No address leaves for another site (the portal's thumbnails); `no-referrer` would
        // also make a browser send `Origin: null` with the pages' own forms, which `ForgeryCheck` refuses.
        headers[.init("Referrer-Policy")!] = "same-origin"
        // Inline style and script only, images from here or the portal, nothing else.
        headers[.contentSecurityPolicy] =
            "default-src 'none'; img-src 'self' http: https:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        return headers
    }
}
