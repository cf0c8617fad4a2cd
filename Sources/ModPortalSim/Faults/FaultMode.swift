/// A way the simulated portal can misbehave on an API request (`add`, upload, `edit`, `full`).
/// The raw value is the name used by `--fault MODE=P` and in `SimState.faults`.
public enum FaultMode: String, Sendable, Codable, CaseIterable {
    /// The connection is reset (TCP RST) after the request arrives; nothing is processed, nothing answered.
    case reset
    /// HTTP 500 with the API's `InternalError` JSON; nothing is processed. `failRate` is this mode.
    case internalError = "internal-error"
    /// An nginx HTML error page, 502 and 503 in turn; nothing is processed.
    case htmlError = "html-error"
    /// Processed normally, but the answer carries only the first half of its JSON body, then the
    /// connection is closed: a well-framed response whose body does not parse.
    case truncated
    /// Processed normally, answered only after `FaultPlan.slowMilliseconds`.
    case slow
    /// This request and the next `FaultPlan.burstLength` API requests get 429 with `Retry-After: 1`;
    /// none of them is processed.
    case burst429 = "burst-429"
    /// Upload only: the image is stored and its upload URL used up, then the connection is closed
    /// without an answer, so the client cannot know the upload landed.
    case lostUpload = "lost-upload"
    /// Processed normally; the answer's status and headers go at once, then its body one byte
    /// every `FaultPlan.slowMilliseconds`: a portal (or proxy) that never quite finishes.
    case drip
    /// Listing only: nothing processed; a CDN's HTML 404 page ("404 Not Found"), not the API's JSON.
    case html404 = "html-404"

    /// Whether the mode can hit a request of `call`.
    public func applies(to call: SimCall) -> Bool {
        switch self {
        case .lostUpload: call == .upload
        case .html404: call == .full
        default: true
        }
    }
}
