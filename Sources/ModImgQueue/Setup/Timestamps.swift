import Foundation

/// Times are stored as Unix seconds and shown in UTC, ISO 8601 (`2026-11-25T06:23:41Z`).
public enum Timestamps {
    public static func format(_ seconds: Double) -> String {
        // Beyond year 9999 (or not a number) is no time anyone means.
        guard seconds.isFinite, abs(seconds) < 253_402_300_800 else { return "(not a valid time)" }
        var time = time_t(seconds.rounded(.down))
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }
}
