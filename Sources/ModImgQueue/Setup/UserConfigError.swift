import Foundation

/// What is wrong with the config file: one sentence naming the file, the line and what to fix.
/// Every command refuses to run with such a file (exit status 2), as a default it meant to set
/// (a database, a rate, a portal) would otherwise be silently replaced by the built-in one.
public enum UserConfigError: Error, Equatable, CustomStringConvertible {
    case unreadable(file: String)
    case syntax(file: String, line: Int?, detail: String)
    case unknownKey(file: String, line: Int?, key: String)
    case wrongType(file: String, line: Int?, key: String, expected: String)
    case badValue(file: String, line: Int?, key: String, detail: String)
    case apiKeyInFile(file: String, line: Int?, key: String)
    case bothKeySources(file: String, line: Int?)
    /// `api_key_command` in a file others may write (`mode`, in octal).
    case commandInWritableFile(file: String, mode: String)

    public var description: String {
        switch self {
        case .unreadable(let file):
            return "the config file \(file) cannot be read; check its permissions, or point XDG_CONFIG_HOME at another folder."
        case .syntax(let file, let line, let detail):
            return "the config file \(file) is not valid TOML\(Self.at(line)) (\(detail)); fix that line and run again."
        case .unknownKey(let file, let line, let key):
            return "the config file \(file) sets \"\(key)\"\(Self.at(line)), which is not a known key; use only "
                + UserConfig.keys.joined(separator: ", ") + " (see the README's Config file section)."
        case .wrongType(let file, let line, let key, let expected):
            return "the config file \(file) gives \(key) a value of the wrong type\(Self.at(line)); write it as \(expected)."
        case .badValue(let file, let line, let key, let detail):
            return "in the config file \(file)\(Self.at(line)), \(key) \(detail)."
        case .apiKeyInFile(let file, let line, let key):
            return "the config file \(file) sets \(key)\(Self.at(line)), but the API key itself does not belong there; "
                + "remove that line and set api_key_file to a file holding the key (mode 600) or api_key_command to a command that prints it."
        case .bothKeySources(let file, let line):
            return "the config file \(file) sets both api_key_file and api_key_command\(Self.at(line)); keep only one of them."
        case .commandInWritableFile(let file, let mode):
            return "the config file \(file) sets api_key_command but others may write to it (mode \(mode)); run `chmod go-w \(file)` and try again."
        }
    }

    private static func at(_ line: Int?) -> String {
        line.map { " at line \($0)" } ?? ""
    }
}
