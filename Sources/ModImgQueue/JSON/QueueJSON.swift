import Foundation

/// The one encoder of every `--json` output and of the dashboard's `/api/…`: the same bytes
/// whichever of them asks.
public enum QueueJSON {
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}
