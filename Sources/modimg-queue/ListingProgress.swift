import Foundation
import ModPortal

/// Says on stderr that listings are being read: on a terminal a count redrawn in place,
/// otherwise one plain line.
struct ListingProgress: Sendable {
    let line: String
    let redraw: Bool

    init(count: Int, url: URL) {
        let what = count == 1 ? "1 gallery" : "\(count) galleries"
        line = "reading \(what) from \(PortalText.sanitized(url.absoluteString, limit: 400))"
        redraw = isatty(2) == 1
    }

    func start() {
        write(redraw ? "\r\(line) …" : "\(line) …\n")
    }

    /// `read` of `total` listings are in.
    func update(read: Int, of total: Int) {
        guard redraw else { return }
        write("\r\(line) … \(read)/\(total)")
    }

    func finish() {
        if redraw { write("\n") }
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
