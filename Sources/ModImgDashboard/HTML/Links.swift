import Foundation

/// The dashboard's own paths, built in one place with their parts percent-encoded.
enum Links {
    static func mod(_ name: String) -> String { "/mods/" + component(name) }
    static func job(_ id: Int64) -> String { "/jobs/\(id)" }
    static func file(ofJob id: Int64) -> String { "/files/\(id)" }
    static func modJobs(_ name: String) -> String { mod(name) + "/jobs" }
    static func modHistory(_ name: String) -> String { mod(name) + "/history" }
    static func modGallery(_ name: String) -> String { mod(name) + "/gallery" }

    /// `path` with a query of the parameters that have a value, each percent-encoded.
    static func path(_ path: String, _ parameters: [(String, String?)]) -> String {
        let pairs = parameters.compactMap { name, value in value.map { "\(name)=\(component($0))" } }
        return pairs.isEmpty ? path : path + "?" + pairs.joined(separator: "&")
    }

    /// A path segment: everything but unreserved characters percent-encoded.
    static func component(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// A URL from the database, kept only if it is plain http(s): nothing else goes into a `src`.
    static func webURL(_ text: String?) -> String? {
        guard let text, let url = URL(string: text), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", url.host != nil
        else { return nil }
        return text
    }
}
