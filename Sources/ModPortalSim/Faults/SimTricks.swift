/// Habits of the real portal, and of the caches and proxies in front of it, that a client must
/// survive. Unlike the faults, which are drawn at random per request, each trick is either on
/// for every request it concerns or off (the default). `SimState.tricks` counts the answers
/// each one shaped.
public struct SimTricks: Sendable, Equatable {
    /// The text of the `Retry-After` header on every 429 and 503 the simulator answers, as it is
    /// (`inf`, `1e300`, `-5`, an HTTP date…). Nil: `1` on a 429, none on a 503.
    public var retryAfter: String?
    /// Seconds by which `/full` lags behind uploads and edits: it shows each gallery as it was
    /// this long ago (a cached listing). 0: always current.
    public var listingLagSeconds: Double = 0
    /// Reads of a mod's `/full` after each upload or edit that still show the gallery as it was
    /// before it: a lag counted, not timed, so tests that need a stale listing always get one.
    public var listingLagReads = 0
    /// An upload of an image already in the mod's gallery is answered with an
    /// `InvalidImageUpload` error saying the image already exists (naming its id), and not stored again.
    public var alreadyExists = false
    /// Image ids in every answer are upper case (`edit` takes ids in either case).
    public var upperCaseIDs = false
    /// Error messages carry terminal escape sequences, a bell and line breaks.
    public var escapeMessages = false
    /// `add` is answered with a 400 whose message quotes the `Authorization` header it got, key
    /// and all, as some proxies and firewalls do ("Malformed header: Authorization: Bearer …").
    public var echoAuthorization = false

    public init() {}
}

/// The name of each trick, as used by `SimState.tricks` and the `modportal-sim` flags.
public enum SimTrick: String, Sendable, CaseIterable, Codable {
    case retryAfter = "retry-after"
    case listingLag = "listing-lag"
    case alreadyExists = "already-exists"
    case upperCaseIDs = "upper-case-ids"
    case escapeMessages = "escape-messages"
    case echoAuthorization = "echo-key"
}
