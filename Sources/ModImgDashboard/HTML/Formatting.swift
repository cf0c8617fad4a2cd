import Foundation
import ModImgQueue

/// Small pieces every page shows the same way.
enum Formatting {
    static func time(_ seconds: Double?) -> String { seconds.map(Timestamps.format) ?? "-" }

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
