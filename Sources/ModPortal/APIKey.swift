import Foundation

/// The portal API key. It prints as `<redacted>` everywhere, so it cannot leak through
/// string interpolation into logs, errors or the database.
public struct APIKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    let secret: String

    /// Returns nil for an empty or blank key, and for one with spaces or control characters
    /// inside it (`problem(in:)` says which). Surrounding whitespace, as a paste or a file's
    /// final newline leaves it, is trimmed.
    public init?(_ secret: String) {
        guard Self.problem(in: secret) == nil else { return nil }
        self.secret = secret.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public enum Problem: Sendable, Equatable {
        case empty
        /// Spaces, tabs, line breaks or other control characters inside the key.
        case innerWhitespaceOrControl
    }

    /// What makes `secret` unusable as a key, if anything.
    public static func problem(in secret: String) -> Problem? {
        let trimmed = secret.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return .empty }
        let bad = trimmed.unicodeScalars.contains {
            CharacterSet.whitespacesAndNewlines.contains($0) || CharacterSet.controlCharacters.contains($0)
        }
        return bad ? .innerWhitespaceOrControl : nil
    }

    var bearerHeader: String { "Bearer \(secret)" }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}
