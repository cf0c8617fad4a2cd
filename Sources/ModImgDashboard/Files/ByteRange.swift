import Foundation

/// What a `Range` request header asks of a file of `size` bytes (RFC 9110 §14): this dashboard
/// serves one range of bytes (`bytes=a-b`, `bytes=a-`, `bytes=-n`). A header in another unit,
/// or a list of ranges (which would need a multipart answer), is ignored: the whole file, as
/// the RFC allows. A single range that is malformed or lies past the end is refused (416).
enum ByteRange: Equatable {
    case whole
    case part(Range<Int64>)
    case unsatisfiable

    static func of(_ header: String?, size: Int64) -> ByteRange {
        guard let header else { return .whole }
        let value = header.trimmingCharacters(in: .whitespaces)
        guard value.lowercased().hasPrefix("bytes=") else { return .whole }
        let spec = value.dropFirst("bytes=".count).trimmingCharacters(in: .whitespaces)
        guard !spec.contains(",") else { return .whole }
        guard let dash = spec.firstIndex(of: "-") else { return .unsatisfiable }
        let (first, last) = (String(spec[..<dash]), String(spec[spec.index(after: dash)...]))
        switch (number(first), number(last)) {
        case (let start?, let end?):
            guard start <= end, start < size else { return .unsatisfiable }
            return .part(start..<min(end, size - 1) + 1)
        case (let start?, nil) where last.isEmpty:
            guard start < size else { return .unsatisfiable }
            return .part(start..<size)
        case (nil, let suffix?) where first.isEmpty:
            guard suffix > 0, size > 0 else { return .unsatisfiable }
            return .part(max(size - suffix, 0)..<size)
        default:
            return .unsatisfiable
        }
    }

    /// Digits only; a number too big for 64 bits is as good as the largest (past any file's end).
    private static func number(_ text: String) -> Int64? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return Int64(text) ?? .max
    }
}
