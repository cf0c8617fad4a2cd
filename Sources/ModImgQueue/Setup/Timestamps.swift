import Foundation

/// Times are stored as Unix seconds and shown in UTC, ISO 8601 (`2026-11-25T06:23:41Z`).
public enum Timestamps {
    public static func format(_ seconds: Double) -> String {
        // Beyond year 9999 (or not a number) is no time anyone means.
        guard seconds.isFinite, abs(seconds) < 253_402_300_800 else { return "(not a valid time)" }
        var time = time_t(seconds.rounded(.down))
        var parts = tm()
        gmtime_r(&time, &parts)
        // Not String(format:): its first call loads Foundation's locale machinery, milliseconds
        // of every `history` and `log`.
        return "\(padded(Int(parts.tm_year) + 1900, 4))-\(padded(Int(parts.tm_mon) + 1, 2))-\(padded(Int(parts.tm_mday), 2))"
            + "T\(padded(Int(parts.tm_hour), 2)):\(padded(Int(parts.tm_min), 2)):\(padded(Int(parts.tm_sec), 2))Z"
    }

    /// `value` in decimal, with leading zeros to `width` digits (a minus sign first if negative).
    static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value.magnitude)
        return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
