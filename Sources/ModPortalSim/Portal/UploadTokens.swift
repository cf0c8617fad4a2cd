/// Upload URLs handed out by `add`: single-use, bound to a mod, optionally expiring.
struct UploadTokens: Sendable {
    private struct Issued: Sendable {
        var mod: String
        var expiry: ContinuousClock.Instant?
    }

    private var issued: [String: Issued] = [:]

    mutating func issue(_ token: String, for mod: String, now: ContinuousClock.Instant, lifetimeSeconds: Double?) {
        let expiry = lifetimeSeconds.map { now + .milliseconds(Int64(($0 * 1000).rounded())) }
        issued[token] = Issued(mod: mod, expiry: expiry)
    }

    /// The mod a live token is bound to; nil for an unknown, used or expired token (an expired one is forgotten).
    mutating func mod(of token: String, now: ContinuousClock.Instant) -> String? {
        guard let entry = issued[token] else { return nil }
        if let expiry = entry.expiry, now >= expiry {
            issued[token] = nil
            return nil
        }
        return entry.mod
    }

    /// Uses up a live token; returns its mod, or nil if it was not live.
    mutating func consume(_ token: String, now: ContinuousClock.Instant) -> String? {
        guard let mod = mod(of: token, now: now) else { return nil }
        issued[token] = nil
        return mod
    }
}
