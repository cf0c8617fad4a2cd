import Foundation

/// A moment as `work` shows it, in local time: `15:36:13` on the local day of `now`, else with
/// its date, `2026-11-26 15:36:13`, so a wait that ends tomorrow never reads like one that ends
/// in a second.
public enum LocalMoment {
    public static func text(_ seconds: Double, now: Double) -> String {
        guard let moment = parts(seconds) else { return "--:--:--" }
        let time =
            "\(Timestamps.padded(Int(moment.tm_hour), 2)):\(Timestamps.padded(Int(moment.tm_min), 2)):\(Timestamps.padded(Int(moment.tm_sec), 2))"
        if let today = parts(now), today.tm_year == moment.tm_year, today.tm_yday == moment.tm_yday { return time }
        return "\(Timestamps.padded(Int(moment.tm_year) + 1900, 4))-\(Timestamps.padded(Int(moment.tm_mon) + 1, 2))-"
            + "\(Timestamps.padded(Int(moment.tm_mday), 2)) \(time)"
    }

    /// The local calendar parts of `seconds`, if it is a time anyone means.
    private static func parts(_ seconds: Double) -> tm? {
        guard seconds.isFinite, abs(seconds) < 253_402_300_800 else { return nil }
        var time = time_t(seconds.rounded(.down))
        var parts = tm()
        guard localtime_r(&time, &parts) != nil else { return nil }
        return parts
    }
}
