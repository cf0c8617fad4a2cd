import Foundation
import TOMLKit

/// Defaults from `$XDG_CONFIG_HOME/modimg-queue/config.toml` (else `~/.config/modimg-queue/config.toml`).
/// Every value is optional; options and environment variables take precedence over each. The API
/// key itself is refused here: the file says where the key is (`api_key_file`, `api_key_command`).
public struct UserConfig: Sendable, Equatable {
    /// The file these values came from (it may not exist: then every value is nil).
    public var file: String
    public var portalURL: String?
    public var database: String?
    public var rate: Rate?
    public var concurrency: Int?
    public var apiKeyFile: String?
    public var apiKeyCommand: String?

    public init(file: String = "", portalURL: String? = nil, database: String? = nil, rate: Rate? = nil, concurrency: Int? = nil,
        apiKeyFile: String? = nil, apiKeyCommand: String? = nil)
    {
        self.file = file
        self.portalURL = portalURL
        self.database = database
        self.rate = rate
        self.concurrency = concurrency
        self.apiKeyFile = apiKeyFile
        self.apiKeyCommand = apiKeyCommand
    }

    /// The keys the file may hold, in the order the README lists them.
    public static let keys = ["portal_url", "database", "rate", "concurrency", "api_key_file", "api_key_command"]

    /// Where the file is looked for.
    public static func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        // The XDG base directory specification says to ignore a relative XDG_CONFIG_HOME.
        if let configHome = environment["XDG_CONFIG_HOME"], configHome.hasPrefix("/") {
            return configHome + "/modimg-queue/config.toml"
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.config/modimg-queue/config.toml"
    }

    /// The file's values; no file, no values.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws(UserConfigError) -> UserConfig {
        let file = path(environment: environment)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else { return UserConfig(file: file) }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: file) else { throw .unreadable(file: file) }
        let config = try parse(String(decoding: data, as: UTF8.self), file: file, home: environment["HOME"])
        // Whoever may write the file may choose the command `work` runs, and see the key it prints.
        var info = stat()
        if config.apiKeyCommand != nil, stat(file, &info) == 0, info.st_mode & 0o022 != 0 {
            throw .commandInWritableFile(file: file, mode: String(info.st_mode & 0o777, radix: 8))
        }
        return config
    }

    /// The values in `text`, the contents of `file` (relative paths in it are relative to its folder).
    public static func parse(_ text: String, file: String, home: String? = nil) throws(UserConfigError) -> UserConfig {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw .syntax(file: file, line: error.source.begin.line, detail: error.description)
        } catch {
            throw .syntax(file: file, line: nil, detail: String(describing: error))
        }
        let lines = ConfigLines(text)
        var config = UserConfig(file: file)
        let folder = (file as NSString).deletingLastPathComponent
        for key in root.keys.sorted(by: { (lines.line(of: $0) ?? 0) < (lines.line(of: $1) ?? 0) }) {
            guard let value = root[key] else { continue }
            let line = lines.line(of: key)
            func string(_ example: String) throws(UserConfigError) -> String {
                guard let text = value.string else {
                    throw .wrongType(file: file, line: line, key: key, expected: "a string in quotes, such as \(key) = \(example)")
                }
                guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw .badValue(file: file, line: line, key: key, detail: "is empty; give a value, such as \(key) = \(example), or remove the line")
                }
                return text
            }
            switch key {
            case "portal_url":
                let text = try string("\"https://mods.factorio.com\"")
                guard WorkerSetup.portalURL(text) != nil else {
                    throw .badValue(file: file, line: line, key: key, detail: "is not an http:// or https:// address; write it as portal_url = \"https://mods.factorio.com\"")
                }
                config.portalURL = text
            case "database":
                config.database = resolve(try string("\"~/queues/mods.sqlite3\""), folder: folder, home: home)
            case "rate":
                guard let rate = Rate(parsing: try string("\"2/s\"")) else {
                    throw .badValue(file: file, line: line, key: key, detail: "is not a rate; write a count per s, min or h, such as rate = \"90/min\"")
                }
                config.rate = rate
            case "concurrency":
                guard value.type == .int, let count = value.int else {
                    throw .wrongType(file: file, line: line, key: key, expected: "a whole number without quotes, such as concurrency = 4")
                }
                guard (1...64).contains(count) else {
                    throw .badValue(file: file, line: line, key: key, detail: "must be between 1 and 64")
                }
                config.concurrency = count
            case "api_key_file":
                config.apiKeyFile = resolve(try string("\"~/.config/modimg-queue.key\""), folder: folder, home: home)
            case "api_key_command":
                config.apiKeyCommand = try string("\"pass show factorio/mod-key\"")
            case "api_key", "apikey", "key", "mod_edit_api_key":
                throw .apiKeyInFile(file: file, line: line, key: key)
            default:
                throw .unknownKey(file: file, line: line, key: key)
            }
        }
        if config.apiKeyFile != nil && config.apiKeyCommand != nil {
            throw .bothKeySources(file: file, line: lines.line(of: "api_key_command"))
        }
        return config
    }

    /// `~/…` from the home folder, a relative path from the config file's folder.
    private static func resolve(_ path: String, folder: String, home: String?) -> String {
        if path == "~" || path.hasPrefix("~/") {
            let home = home.flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            return home + path.dropFirst()
        }
        return path.hasPrefix("/") ? path : folder + "/" + path
    }
}

/// Finds the line a top-level key is set on, for error messages (TOMLKit keeps no positions
/// of keys): the first line that starts with the key, bare or quoted, then `=`, `.` or `]`.
struct ConfigLines {
    private let lines: [Substring]

    init(_ text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    func line(of key: String) -> Int? {
        for (index, line) in lines.enumerated() {
            var rest = line.drop(while: { $0 == " " || $0 == "\t" || $0 == "[" })
            for spelling in [key, "\"\(key)\"", "'\(key)'"] where rest.hasPrefix(spelling) {
                rest = rest.dropFirst(spelling.count).drop(while: { $0 == " " || $0 == "\t" })
                if let next = rest.first, "=.]".contains(next) { return index + 1 }
            }
        }
        return nil
    }
}
