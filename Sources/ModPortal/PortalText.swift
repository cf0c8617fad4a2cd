import Foundation

/// Text that came from the portal, made fit to show in a terminal and to store as a message:
/// no escape sequences or control characters, one line, bounded length, an HTML page
/// reduced to its `<title>`, and no credential (`secrets`, a `Bearer` token, an `Authorization`
/// header's value: see `SecretRedaction`), taken out before the text is cut to length.
public enum PortalText {
    public static func sanitized(_ text: String, limit: Int = 200, redacting secrets: [String] = []) -> String {
        let redacted = SecretRedaction.redacted(text, secrets: secrets)
        let source = looksLikeHTML(redacted) ? htmlSummary(redacted) : redacted
        var kept = String.UnicodeScalarView()
        var scalars = source.unicodeScalars[...]
        while let scalar = scalars.popFirst() {
            if scalar == "\u{1B}" {
                dropEscapeSequence(&scalars)
            } else if isUnsafe(scalar) {
                kept.append(" ")
            } else {
                kept.append(scalar)
            }
        }
        // Again once on one line: a token the control characters kept apart from its `Bearer` is
        // next to it now (header values were cut at their line ends above).
        let oneLine = SecretRedaction.redacted(
            String(kept).split(whereSeparator: { $0 == " " }).joined(separator: " "), secrets: secrets, headerValues: false)
        guard oneLine.count > limit else { return oneLine }
        return String(oneLine.prefix(max(limit - 1, 0))) + "…"
    }

    /// Control characters (C0, DEL, C1), line and paragraph separators, and the bidirectional
    /// overrides that can make a terminal show text other than it is.
    private static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// Drops what follows an ESC: a CSI sequence (`[` … final byte), an OSC or other string
    /// sequence (up to BEL or ESC `\`), or the one character of a short sequence.
    private static func dropEscapeSequence(_ scalars: inout Substring.UnicodeScalarView) {
        guard let introducer = scalars.popFirst() else { return }
        switch introducer {
        case "[":
            while let next = scalars.popFirst(), !(0x40...0x7E).contains(next.value) {}
        case "]", "P", "X", "^", "_":
            while let next = scalars.popFirst() {
                if next == "\u{07}" { return }
                if next == "\u{1B}" {
                    if scalars.first == "\\" { scalars.removeFirst() }
                    return
                }
            }
        default:
            return
        }
    }

    private static func looksLikeHTML(_ text: String) -> Bool {
        let start = text.prefix(512).lowercased()
        return start.contains("<html") || start.contains("<!doctype html") || start.contains("<head")
            || start.contains("<body") || start.contains("<title")
    }

    /// "an HTML page titled …" from its `<title>`, else its first `<h1>`.
    private static func htmlSummary(_ text: String) -> String {
        for tag in ["title", "h1"] {
            if let inner = element(tag, in: text), !inner.isEmpty { return "an HTML page titled \"\(inner)\"" }
        }
        return "an HTML page"
    }

    private static func element(_ tag: String, in text: String) -> String? {
        guard let open = text.range(of: "<\(tag)", options: .caseInsensitive),
            let openEnd = text[open.upperBound...].firstIndex(of: ">"),
            let close = text.range(of: "</\(tag)>", options: .caseInsensitive, range: openEnd..<text.endIndex)
        else { return nil }
        return text[text.index(after: openEnd)..<close.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
