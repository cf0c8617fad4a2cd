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
            if byte < 0x20 || byte > 0x7E || byte == 0x3C || (byte == 0x20 && previous == 0x20) { return false }
            previous = byte
        }
        return !contains(bytes, bearer) && !contains(bytes, authorization)
    }

    private static let bearer = Array("bearer".utf8)
    private static let authorization = Array("authorization".utf8)

    /// Whether `bytes` hold `word` (lower-case ASCII letters) in any case.
    private static func contains(_ bytes: [UInt8], _ word: [UInt8]) -> Bool {
        var start = 0
        while start + word.count <= bytes.count {
            var matched = 0
            while matched < word.count && bytes[start + matched] | 0x20 == word[matched] { matched += 1 }
            if matched == word.count { return true }
            start += 1
        }
        return false
    }
}
