import Foundation
import Hummingbird
import ModImgQueue

/// How the dashboard answers: pages, JSON, images and 404s, each with the same safe headers.
enum Responses {
    static func page(_ html: HTML, status: HTTPResponse.Status = .ok) -> Response {
        respond(status, "text/html; charset=utf-8", ByteBuffer(string: html.rendered))
    }

    /// `value` through the CLI's own `--json` encoder.
    static func json(_ value: some Encodable) throws -> Response {
        respond(.ok, "application/json; charset=utf-8", ByteBuffer(bytes: try QueueJSON.encode(value)))
    }

    static func jsonError(_ status: HTTPResponse.Status, _ message: String) -> Response {
        let body = (try? QueueJSON.encode(["error": message])) ?? Data()
        return respond(status, "application/json; charset=utf-8", ByteBuffer(bytes: body))
    }

    static func image(_ data: Data, contentType: String) -> Response {
        var response = respond(.ok, contentType, ByteBuffer(bytes: data))
        response.headers[.cacheControl] = "private, max-age=60"
        return response
    }

    static func notFound(_ message: String = "There is nothing at this address.") -> Response {
        page(MessagePage.notFound(message), status: .notFound)
    }

    private static func respond(_ status: HTTPResponse.Status, _ contentType: String, _ body: ByteBuffer) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.cacheControl] = "no-store"
        headers[.xContentTypeOptions] = "nosniff"
        headers[.init("Referrer-Policy")!] = "no-referrer"
        // Inline style and script only, images from here or the portal, nothing else.
        headers[.contentSecurityPolicy] =
            "default-src 'none'; img-src 'self' http: https:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }
}
