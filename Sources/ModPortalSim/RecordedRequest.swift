/// One request the simulator received.
public struct RecordedRequest: Sendable, Codable, Equatable {
    /// The portal call the request was routed to; nil for any other path.
    public let call: SimCall?
    public let method: String
    /// The request path, without the query string.
    public let path: String
    /// The `Authorization` header, if any.
    public let authorization: String?

    public init(call: SimCall?, method: String, path: String, authorization: String?) {
        self.call = call
        self.method = method
        self.path = path
        self.authorization = authorization
    }
}
