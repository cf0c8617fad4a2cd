import Foundation

/// Times are stored as Unix seconds and shown in UTC, ISO 8601.
public enum Timestamps {
    public static func format(_ seconds: Double) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }
}
