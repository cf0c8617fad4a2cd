import ModPortal

/// Text from the database as a table cell shows it: `PortalText.sanitized`. Most of it (a plain
/// file path) holds nothing that function changes, and checking that takes a pass over its
/// bytes where the function's case-insensitive searches take several: `jobs` on 100,000 jobs
/// spent half its time there.
enum CellText {
    static func sanitized(_ text: String, limit: Int = 200) -> String {
        isPlain(text, limit: limit) ? text : PortalText.sanitized(text, limit: limit)
    }

    /// Printable ASCII within the limit, without `<` (no HTML to summarise), without spaces at
    /// either end or two in a row (none to collapse), without "bearer" or "authorization" in any
    /// case (nothing to redact): text that `PortalText.sanitized` returns as it is.
    static func isPlain(_ text: String, limit: Int) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count <= limit, bytes.first != 0x20, bytes.last != 0x20 else { return false }
        var previous: UInt8 = 0
        for byte in bytes {
            guard (0x20...0x7E).contains(byte), byte != UInt8(ascii: "<"), byte != 0x20 || previous != 0x20 else { return false }
            previous = byte
        }
        return !contains(bytes, "bearer") && !contains(bytes, "authorization")
    }

    /// Whether `bytes` hold `word` (lower-case ASCII) in any case.
    private static func contains(_ bytes: [UInt8], _ word: String) -> Bool {
        let needle = Array(word.utf8)
        guard bytes.count >= needle.count else { return false }
        return (0...bytes.count - needle.count).contains { start in
            needle.indices.allSatisfy { bytes[start + $0] | 0x20 == needle[$0] }
        }
    }
}
