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
                return "no API key: set MOD_EDIT_API_KEY or pass --api-key-file with a key that has the ModPortal: Edit Mods usage (create one at https://factorio.com/profile)."
            case .keyFileUnreadable(let path):
                return "the API key file \(path) cannot be read; check the path and its permissions."
            case .keyFileTooOpen(let path, let mode):
                return "the API key file \(path) is readable by others (mode \(mode)); run `chmod 600 \(path)` and try again."
            case .keyFileEmpty(let path):
                return "the API key file \(path) is empty; put the key on its first line."
            case .keyMalformed(let source):
                return "the API key in \(source) has spaces or control characters inside it; copy the key again from https://factorio.com/profile."
            case .badPortalURL(let text):
                return "\"\(text)\" is not a portal URL; give an http:// or https:// address such as https://mods.factorio.com."
            }
        }
    }

    /// The key from `--api-key-file` if given (which must be private to its owner), else `$MOD_EDIT_API_KEY`.
    public static func apiKey(file: String?, environment: [String: String]) throws(SetupError) -> APIKey {
        if let file {
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
        guard let text = environment[apiKeyVariable], APIKey.problem(in: text) != .empty else { throw .noApiKey }
        guard let key = APIKey(text) else { throw .keyMalformed(source: apiKeyVariable) }
        return key
    }

    /// `--portal-url`, else `$MODIMG_PORTAL_URL`, else the real portal.
    public static func portalURL(option: String?, environment: [String: String]) throws(SetupError) -> URL {
        let text = option ?? environment["MODIMG_PORTAL_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultPortalURL
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            url.host?.isEmpty == false
        else { throw .badPortalURL(text) }
        return url
    }
}
