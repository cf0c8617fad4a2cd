import Foundation
import ModPortal

/// Reading what `work` needs from the environment: the API key and the portal's address.
public enum WorkerSetup {
    public static let defaultPortalURL = "https://mods.factorio.com"
    /// The variable `work` reads the API key from, when no `--api-key-file` is given.
    public static let apiKeyVariable = "MOD_EDIT_API_KEY"

    public enum SetupError: Error, Equatable, CustomStringConvertible {
        case noApiKey
        case keyFileUnreadable(String)
        case keyFileTooOpen(String, mode: String)
        case keyFileEmpty(String)
        /// The key (from the file, or from `MOD_EDIT_API_KEY`) has spaces or control characters inside.
        case keyMalformed(source: String)
        /// `--api-key-file` and `--api-key-command` both given.
        case keySourcesConflict
        /// The key command (named by where it was set) could not start, failed, printed no key or hung.
        case keyCommandUnstartable(origin: String, detail: String)
        case keyCommandFailed(origin: String, status: Int32, signalled: Bool, stderr: String)
        case keyCommandEmpty(origin: String)
        case keyCommandTimedOut(origin: String, seconds: Int)
        case badPortalURL(String)

        /// Whether the error is about the key: `work` then exits 2, like a key the portal refused,
        /// so that no unusable key passes for a night whose jobs merely failed (exit 1).
        public var isKeyProblem: Bool {
            if case .badPortalURL = self { return false }
            return true
        }

        public var description: String {
            switch self {
            case .noApiKey:
                return "no API key: set MOD_EDIT_API_KEY, pass --api-key-file or --api-key-command, or set api_key_file or api_key_command in the config file, with a key that has the ModPortal: Edit Mods usage (create one at https://factorio.com/profile)."
            case .keyFileUnreadable(let path):
                return "the API key file \(path) cannot be read; check the path and its permissions."
            case .keyFileTooOpen(let path, let mode):
                return "the API key file \(path) is readable by others (mode \(mode)); run `chmod 600 \(path)` and try again."
            case .keyFileEmpty(let path):
                return "the API key file \(path) is empty; put the key on its first line."
            case .keyMalformed(let source):
                return "the API key in \(source) has spaces or control characters inside it; copy the key again from https://factorio.com/profile."
            case .keySourcesConflict:
                return "--api-key-file and --api-key-command both give the API key; pass only one of them."
            case .keyCommandUnstartable(let origin, let detail):
                return "the API key command (\(origin)) could not start (\(detail)); check that /bin/sh exists."
            case .keyCommandFailed(let origin, let status, let signalled, let stderr):
                let how = signalled ? "was ended by signal \(status)" : "exited with status \(status)"
                let said = stderr.isEmpty ? "" : " saying \"\(stderr)\""
                return "the API key command (\(origin)) \(how)\(said); run it in a shell to see that it prints the key."
            case .keyCommandEmpty(let origin):
                return "the API key command (\(origin)) printed nothing; it must print the key on its first line."
            case .keyCommandTimedOut(let origin, let seconds):
                return "the API key command (\(origin)) printed no key within \(seconds) s and was stopped; make it run without asking for input (it gets no terminal)."
            case .badPortalURL(let text):
                return "\"\(text)\" is not a portal URL; give an http:// or https:// address such as https://mods.factorio.com."
            }
        }
    }

    /// Where the key comes from, in this order: `--api-key-file` or `--api-key-command` (not
    /// both), else `$MOD_EDIT_API_KEY`, else the config file's `api_key_file` or
    /// `api_key_command` (`UserConfig` refuses both).
    public static func apiKey(
        file: String?, command: String? = nil, environment: [String: String], config: UserConfig = UserConfig()
    ) throws(SetupError) -> APIKey {
        if file != nil && command != nil { throw .keySourcesConflict }
        if let file { return try apiKey(fromFile: file) }
        if let command { return try apiKey(fromCommand: command, origin: "--api-key-command") }
        if let text = environment[apiKeyVariable], APIKey.problem(in: text) != .empty {
            guard let key = APIKey(text) else { throw .keyMalformed(source: apiKeyVariable) }
            return key
        }
        if let file = config.apiKeyFile { return try apiKey(fromFile: file) }
        if let command = config.apiKeyCommand { return try apiKey(fromCommand: command, origin: "api_key_command in \(config.file)") }
        throw .noApiKey
    }

    /// The key on the first line of `file`, which must be private to its owner.
    static func apiKey(fromFile file: String) throws(SetupError) -> APIKey {
        var info = stat()
        guard stat(file, &info) == 0, let data = FileManager.default.contents(atPath: file) else {
            throw .keyFileUnreadable(file)
        }
        if info.st_mode & 0o077 != 0 {
            throw .keyFileTooOpen(file, mode: String(info.st_mode & 0o777, radix: 8))
        }
        let firstLine = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        switch APIKey.problem(in: firstLine) {
        case .empty: throw .keyFileEmpty(file)
        case .innerWhitespaceOrControl: throw .keyMalformed(source: file)
        case nil: break
        }
        guard let key = APIKey(firstLine) else { throw .keyFileEmpty(file) }
        return key
    }

    /// The key on the first line `command` prints, trimmed like a pasted key.
    static func apiKey(fromCommand command: String, origin: String) throws(SetupError) -> APIKey {
        let firstLine = try KeyCommand.firstLine(of: command, origin: origin)
        switch APIKey.problem(in: firstLine) {
        case .empty: throw .keyCommandEmpty(origin: origin)
        case .innerWhitespaceOrControl: throw .keyMalformed(source: "the output of the API key command (\(origin))")
        case nil: break
        }
        guard let key = APIKey(firstLine) else { throw .keyCommandEmpty(origin: origin) }
        return key
    }

    /// `--portal-url`, else `$MODIMG_PORTAL_URL`, else the config file's `portal_url`, else the real portal.
    public static func portalURL(option: String?, environment: [String: String], configured: String? = nil) throws(SetupError) -> URL {
        let text = option ?? environment["MODIMG_PORTAL_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? configured ?? defaultPortalURL
        guard let url = portalURL(text) else { throw .badPortalURL(text) }
        return url
    }

    /// `text` as a portal's base URL: http or https, with a host.
    static func portalURL(_ text: String) -> URL? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            url.host?.isEmpty == false
        else { return nil }
        return url
    }
}
