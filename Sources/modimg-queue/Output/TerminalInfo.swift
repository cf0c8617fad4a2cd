import ArgumentParser
import Foundation

/// What the terminal behind a stream can show: whether it is one, how wide, and colours.
struct TerminalInfo: Sendable {
    let isTerminal: Bool
    let width: Int
    let colors: Bool

    /// `--color` as given on the command line.
    enum ColorChoice: String, CaseIterable, Sendable {
        case auto, always, never
    }

    /// The terminal behind `fd` (stderr by default). `NO_COLOR` turns colours off unless
    /// `--color always` asks for them; `auto` uses them on a terminal only.
    static func of(fd: Int32 = STDERR_FILENO, color: ColorChoice = .auto, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> TerminalInfo
    {
        let isTerminal = isatty(fd) == 1
        var size = winsize()
        var width = 0
        if isTerminal, ioctl(fd, UInt(TIOCGWINSZ), &size) == 0 { width = Int(size.ws_col) }
        if width <= 0 { width = environment["COLUMNS"].flatMap(Int.init) ?? 0 }
        if width <= 0 { width = 80 }
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        let colors: Bool =
            switch color {
            case .always: true
            case .never: false
            case .auto: isTerminal && !noColor && environment["TERM"] != "dumb"
            }
        return TerminalInfo(isTerminal: isTerminal, width: width, colors: colors)
    }
}

/// Cutting text to a width, counting characters (the portal's text is already one safe line).
enum TextFit {
    /// `text` cut to `width` characters, the last one an ellipsis when anything was cut.
    static func truncated(_ text: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        guard text.count > width else { return text }
        return String(text.prefix(max(0, width - 1))) + "…"
    }
}

extension TerminalInfo.ColorChoice: ExpressibleByArgument {}
