import Foundation
import ModImgQueue

/// Small pieces every page shows the same way.
enum Formatting {
    /// A moment as a person reads it, in the server's local time with the date when not today,
    /// in a `<time>` whose `datetime` is the ISO 8601 moment with its offset (as the JSON has it).
    static func time(_ seconds: Double?, now: Double = Date().timeIntervalSince1970) -> HTML {
        guard let seconds else { return "-" }
        return "<time datetime=\"\(Timestamps.format(seconds))\">\(LocalMoment.text(seconds, now: now))</time>"
    }

    /// The first 12 characters of an image id, as `work` prints them.
    static func shortID(_ id: String) -> String { String(id.prefix(12)) }

    static func fileName(_ path: String?) -> String {
        guard let path else { return "-" }
        return (path as NSString).lastPathComponent
    }

    static func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

    /// "in 40 s" for a time ahead, nothing otherwise.
    static func fromNow(_ seconds: Double?, now: Double) -> String {
        guard let seconds, seconds > now else { return "" }
        return " (in \(Int((seconds - now).rounded(.up))) s)"
    }
}
