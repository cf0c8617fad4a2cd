/// Text broken into lines at spaces, so a line a person acts on is read whole however narrow the
/// terminal: nothing is cut, and a word longer than the width keeps a line of its own.
public enum TextWrapping {
    /// `text` in lines of at most `width` characters (but for a longer word), every line after
    /// the first starting with `indent` spaces.
    public static func lines(_ text: String, width: Int, indent: Int) -> [String] {
        guard text.count > width else { return [text] }
        let pad = String(repeating: " ", count: indent)
        // The text's own leading spaces stay on its first line.
        let leading = text.prefix { $0 == " " }
        var lines: [String] = []
        var line = String(leading)
        var lineHasWord = false
        for word in text.dropFirst(leading.count).split(separator: " ", omittingEmptySubsequences: true) {
            if lineHasWord, line.count + 1 + word.count > width {
                lines.append(line)
                line = pad + word
            } else {
                line += (lineHasWord ? " " : "") + word
            }
            lineHasWord = true
        }
        lines.append(line)
        return lines
    }
}
