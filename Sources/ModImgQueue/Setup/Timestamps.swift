import Foundation

/// Times are stored as Unix seconds. Logs and JSON show them as ISO 8601 in local time with its
/// offset from UTC (`2026-11-27T16:36:42+01:00`): the same clock a person reads on the terminal
/// (`LocalMoment`), and still one moment wherever the text is read.
public enum Timestamps {
    public static func format(_ seconds: Double) -> String {
        format(seconds, utcOffset: localOffset(seconds))
    }

    /// `seconds` as ISO 8601 at `utcOffset` seconds east of UTC.
    public static func format(_ seconds: Double, utcOffset: Int) -> String {
        // Beyond year 9999 (or not a number) is no time anyone means.
        guard seconds.isFinite, abs(seconds) < 253_402_300_800 else { return "(not a valid time)" }
        var time = time_t(seconds.rounded(.down)) + time_t(utcOffset)
        var parts = tm()
        gmtime_r(&time, &parts)
        let offsetMinutes = abs(utcOffset) / 60
        // Not String(format:): its first call loads Foundation's locale machinery, milliseconds
        // of every `history` and `log`.
        return "\(padded(Int(parts.tm_year) + 1900, 4))-\(padded(Int(parts.tm_mon) + 1, 2))-\(padded(Int(parts.tm_mday), 2))"
            + "T\(padded(Int(parts.tm_hour), 2)):\(padded(Int(parts.tm_min), 2)):\(padded(Int(parts.tm_sec), 2))"
            + "\(utcOffset < 0 ? "-" : "+")\(padded(offsetMinutes / 60, 2)):\(padded(offsetMinutes % 60, 2))"
    }

    /// The local zone's offset from UTC at `seconds` (summer time included), 0 if unknown.
    static func localOffset(_ seconds: Double) -> Int {
        guard seconds.isFinite, abs(seconds) < 253_402_300_800 else { return 0 }
        var time = time_t(seconds.rounded(.down))
        var parts = tm()
        guard localtime_r(&time, &parts) != nil else { return 0 }
        return Int(parts.tm_gmtoff)
    }

    /// `value` in decimal, with leading zeros to `width` digits (a minus sign first if negative).
    static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value.magnitude)
        return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
