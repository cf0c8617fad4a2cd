import Foundation

/// One request the simulator received.
public struct RecordedRequest: Sendable, Codable, Equatable {
    /// The portal call the request was routed to; nil for any other path.
    public let call: SimCall?
    public let method: String
    /// The request path, without the query string.
    public let path: String
    /// The `Authorization` header, if any.
    public let authorization: String?
    /// When the request was received, in Unix seconds (wall clock).
    public let at: Double
    /// The HTTP status the simulator answered with; nil while the request is still being handled,
    /// or when the simulator answered nothing (a dropped connection: reset or lost-upload faults).
    public var status: Int?

    public init(
        call: SimCall?,
        method: String,
        path: String,
        authorization: String?,
        at: Double = Date().timeIntervalSince1970,
        status: Int? = nil
    ) {
        self.call = call
        self.method = method
        self.path = path
        self.authorization = authorization
        self.at = at
        self.status = status
    }
}

/// One entry of `GET /__sim/requests`: a `RecordedRequest` with its `Authorization` value left out.
struct RequestLogEntry: Encodable {
    var call: SimCall?
    var method: String
    var path: String
    var at: Double
    var status: Int?
    /// Whether the request carried an `Authorization` header (whatever its value).
    var authorized: Bool

    init(_ request: RecordedRequest) {
        call = request.call
        method = request.method
        path = request.path
        at = request.at
        status = request.status
        authorized = request.authorization != nil
    }

    private enum CodingKeys: String, CodingKey {
        case call, method, path, at, status, authorized
    }

    /// Written by hand so that a missing call or status is an explicit `null`, not a missing key.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(call, forKey: .call)
        try container.encode(method, forKey: .method)
        try container.encode(path, forKey: .path)
        try container.encode(at, forKey: .at)
        try container.encode(status, forKey: .status)
        try container.encode(authorized, forKey: .authorized)
    }
}
