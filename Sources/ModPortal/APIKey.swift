/// The portal API key. It prints as `<redacted>` everywhere, so it cannot leak through
/// string interpolation into logs, errors or the database.
public struct APIKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    let secret: String

    /// Returns nil for an empty or blank key.
    public init?(_ secret: String) {
        let trimmed = secret.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        self.secret = trimmed
    }

    var bearerHeader: String { "Bearer \(secret)" }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}
