/// How a path or an address is shortened to a width, keeping the part that tells it apart: its
/// last component. Widths count characters; a shortened cell shows `…` where text was left out.
public enum CellShortening {
    /// `…/round2/ore-extra.png`: the end of the path, cut at a `/` when one fits, so the file
    /// name stays whole whenever the width allows it.
    public static func path(_ text: String, to width: Int) -> String {
        guard text.count > width else { return text }
        guard width > 1 else { return width == 1 ? "…" : "" }
        let tail = String(text.suffix(width - 1))
        // Start at a separator, so no directory shows half its name.
        if let slash = tail.firstIndex(of: "/"), tail[slash...].count > lastComponent(text).count {
            return "…" + tail[slash...]
        }
        return "…" + tail
    }

    /// `http://127.0.0.1:8080/…/ore-extra.png`: the start (up to a `/` if it can) and the last component, or the
    /// end alone as a path is shortened when the width holds no more.
    public static func url(_ text: String, to width: Int) -> String {
        guard text.count > width else { return text }
        let last = "/" + lastComponent(text)
        let head = width - 1 - last.count
        guard head >= 8 else { return path(text, to: width) }
        // Up to a `/` past the scheme's when there is one: the host whole, not half a port.
        var start = text.prefix(head)
        if let slash = start.lastIndex(of: "/"), start.distance(from: start.startIndex, to: slash) >= 8 { start = start[...slash] }
        return start + "…" + last
    }

    /// The narrowest width at which `path` and `url` still keep the last component whole.
    public static func narrowest(_ text: String) -> Int {
        min(text.count, lastComponent(text).count + 2)
    }

    static func lastComponent(_ text: String) -> Substring {
        text.split(separator: "/", omittingEmptySubsequences: false).last ?? Substring(text)
    }
}
