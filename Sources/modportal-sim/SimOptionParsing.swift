import Foundation

/// Parsing of the CLI's compound option values.
enum SimOptionParsing {
    /// "20/s" -> 20. Nil for anything else (the number must be positive and finite).
    static func ratePerSecond(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasSuffix("/s") else { return nil }
        guard let value = Double(trimmed.dropLast(2)), value.isFinite, value > 0 else { return nil }
        return value
    }

    /// "a,b,c" -> ["a", "b", "c"], blanks dropped.
    static func modList(_ text: String) -> Set<String> {
        Set(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }
}
