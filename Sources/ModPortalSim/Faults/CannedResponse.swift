/// A response queued with `PortalSimulator.injectResponse(for:_:)`, sent instead of the normal handling.
public struct CannedResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: String
    /// When true, the head (with a `Content-Length` of the whole body) and only part of the body
    /// are sent, then the connection is closed: a truncated answer.
    public var truncated: Bool

    public init(
        status: Int,
        headers: [String: String] = ["Content-Type": "application/json"],
        body: String,
        truncated: Bool = false
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.truncated = truncated
    }

    /// Sends headers and then closes the connection without completing the body (a truncated answer).
    public static func truncated(
        status: Int = 200,
        headers: [String: String] = ["Content-Type": "application/json"],
        body: String
    ) -> CannedResponse {
        CannedResponse(status: status, headers: headers, body: body, truncated: true)
    }
}
