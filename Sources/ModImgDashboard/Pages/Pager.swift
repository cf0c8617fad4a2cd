import ModImgQueue

/// The links under one page of a list: back to its start, and on to the page after it.
enum Pager {
    /// `start` nil on the list's first page; `next` nil on its last.
    static func links(start: String?, next: String?, nextLabel: String) -> HTML {
        var parts: [HTML] = []
        if let start { parts.append("<a href=\"\(start)\">back to the start</a>") }
        if let next { parts.append("<a rel=\"next\" href=\"\(next)\">\(nextLabel) →</a>") }
        return parts.isEmpty ? "" : "<nav class=\"pager\">\(parts.interleaved(" · "))</nav>"
    }
}
