import Foundation
import Hummingbird

/// The JSON bodies the simulated portal answers with.
enum SimResponses {
    /// The tricks shaping the answers built for the request being handled (set by `SimRoutes`).
    @TaskLocal static var tricks = SimTricks()

    struct APIError: Encodable {
        var error: String
        var message: String
    }

    struct ImageInfo: Encodable {
        var id: String
        var url: String
        var thumbnail: String
    }

    struct AddAnswer: Encodable {
        var uploadURL: String
        enum CodingKeys: String, CodingKey { case uploadURL = "upload_url" }
    }

    struct EditAnswer: Encodable {
        var success: Bool
        var images: [ImageInfo]
    }

    struct FullAnswer: Encodable {
        var name: String
        var title: String
        var owner: String
        var images: [ImageInfo]
    }

    struct MessageOnly: Encodable {
        var message: String
    }

    static func image(_ id: String, base: String) -> ImageInfo {
        let id = tricks.upperCaseIDs ? id.uppercased() : id
        return ImageInfo(id: id, url: "\(base)/assets/\(id).png", thumbnail: "\(base)/assets/\(id).thumb.png")
    }

    // MARK: Errors

    static func error(_ status: Int, _ error: String, _ message: String) -> Response {
        json(status, APIError(error: error, message: tricks.escapeMessages ? withEscapes(message) : message))
    }

    /// `message` wrapped in what a terminal would obey: colours, a title change, a bell, line breaks.
    static func withEscapes(_ message: String) -> String {
        "\u{1B}[31m\(message)\u{1B}[0m\r\n\u{1B}]0;owned\u{07}\u{1B}[2Jsecond line\u{07}"
    }

    /// An upload of an image the mod's gallery already holds (the already-exists trick).
    static func alreadyExists(_ id: String) -> Response {
        let id = tricks.upperCaseIDs ? id.uppercased() : id
        return error(400, "InvalidImageUpload", "Image already exists: \(id)")
    }

    /// A proxy's complaint that quotes the request's `Authorization` header back (the echo-key trick).
    static func echoedAuthorization(_ header: String) -> Response {
        json(400, MessageOnly(message: "Malformed header: Authorization: \(header)"))
    }

    static var invalidAPIKey: Response {
        error(401, "InvalidApiKey", "Missing or invalid API key for the current endpoint")
    }
    static var unknownMod: Response { error(404, "UnknownMod", "Mod does not exist in mod portal") }
    static var forbidden: Response { error(403, "Forbidden", "Insufficent permission for current endpoint") }
    static var unknownUploadURL: Response { error(404, "InvalidRequest", "Unknown or expired upload URL") }
    static var invalidImage: Response { error(400, "InvalidImageUpload", "Invalid image file uploaded.") }
    static var notFound: Response { error(404, "InvalidRequest", "Not found") }
    static var transientFailure: Response {
        error(500, "InternalError", "Internal error, please try again later.")
    }
    static var tooLarge: Response { error(413, "InvalidRequest", "Request body too large") }
    static var rateLimited: Response {
        var response = error(429, "InternalError", "Too many requests")
        response.headers[.retryAfter] = tricks.retryAfter ?? "1"
        return response
    }

    /// The error page nginx shows when the portal behind it is down (the html-error fault).
    static func htmlError(_ status: Int) -> Response {
        let title =
            switch status {
            case 503: "503 Service Temporarily Unavailable"
            case 404: "404 Not Found"
            default: "\(status) Bad Gateway"
            }
        let page = "<html><head><title>\(title)</title></head><body><center><h1>\(title)</h1></center>"
            + "<hr><center>nginx</center></body></html>"
        var response = Response(
            status: httpStatus(status),
            headers: [.contentType: "text/html"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: page))
        )
        if status == 503, let retryAfter = tricks.retryAfter { response.headers[.retryAfter] = retryAfter }
        return response
    }

    static func invalidRequest(_ message: String) -> Response {
        error(400, "InvalidRequest", message)
    }

    // MARK: Encoding

    static func json(_ status: Int, _ value: some Encodable) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(
            status: httpStatus(status),
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    static func httpStatus(_ code: Int) -> HTTPResponse.Status {
        guard (100...999).contains(code) else { return .internalServerError }
        let reason: String =
            switch code {
            case 200: "OK"
            case 201: "Created"
            case 204: "No Content"
            case 400: "Bad Request"
            case 401: "Unauthorized"
            case 403: "Forbidden"
            case 404: "Not Found"
            case 405: "Method Not Allowed"
            case 408: "Request Timeout"
            case 413: "Content Too Large"
            case 429: "Too Many Requests"
            case 500: "Internal Server Error"
            case 502: "Bad Gateway"
            case 503: "Service Unavailable"
            case 504: "Gateway Timeout"
            default: ""
            }
        return HTTPResponse.Status(code: code, reasonPhrase: reason)
    }
}
