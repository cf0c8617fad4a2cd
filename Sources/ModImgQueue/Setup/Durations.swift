/// Ages typed on the command line: `90s`, `15m`, `12h`, `30d`, `2w`.
public enum Durations {
    public static func seconds(_ text: String) -> Double? {
        guard let unit = text.last, let value = Double(text.dropLast()), value >= 0, value.isFinite else { return nil }
        switch unit {
        case "s": return value
        case "m": return value * 60
        case "h": return value * 3600
        case "d": return value * 86_400
        case "w": return value * 604_800
        default: return nil
        }
    }

    /// An age for `prune --older-than`, whose units cannot be misread: `90s` (or `sec`), `30min`,
    /// `12h`, `7d`, `2w`. A bare `m` (minutes, or months?) is not one.
    public static func age(_ text: String) -> Double? {
        let units: [(String, Double)] = [("sec", 1), ("min", 60), ("s", 1), ("h", 3600), ("d", 86_400), ("w", 604_800)]
        for (unit, factor) in units where text.hasSuffix(unit) {
            guard let value = Double(text.dropLast(unit.count)), value >= 0, value.isFinite else { return nil }
            return value * factor
        }
        return nil
    }

    /// Why `text` is not an age, in one sentence with the choices.
    public static func ageProblem(_ text: String) -> String {
        let ambiguous = text.hasSuffix("m") && Double(text.dropLast()) != nil
        return "--older-than \(text) is not an age\(ambiguous ? " (m could be minutes or months)" : ""): give a number and one of "
            + "s, min, h, d or w, such as 30min, 12h or 7d."
    }
}
