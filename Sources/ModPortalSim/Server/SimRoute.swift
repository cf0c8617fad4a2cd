import Foundation
import Hummingbird

/// Where a request goes, decided from its method and path.
enum SimRoute: Equatable {
    case add
    case upload(token: String)
    case edit
    case full(mod: String)
    case state
    case requests
    /// An uploaded image's `url` (`/assets/<id>.png`) or `thumbnail` (`/assets/<id>.thumb.png`).
    case asset(id: String)
    case notFound

    static let uploadPrefix = "/api/v2/mods/images/upload/"

    init(method: HTTPRequest.Method, path: String) {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        // A path starts with "/", so segments[0] is "".
        switch (method, Array(segments.dropFirst())) {
        case (.post, ["api", "v2", "mods", "images", "add"]):
            self = .add
        case (.post, ["api", "v2", "mods", "images", "edit"]):
            self = .edit
        case (.post, let parts) where parts.count == 6 && parts[0..<5] == ["api", "v2", "mods", "images", "upload"]
            && !parts[5].isEmpty:
            self = .upload(token: parts[5])
        case (.get, let parts) where parts.count == 4 && parts[0] == "api" && parts[1] == "mods" && parts[3] == "full"
            && !parts[2].isEmpty:
            self = .full(mod: parts[2].removingPercentEncoding ?? parts[2])
        case (.get, ["__sim", "state"]):
            self = .state
        case (.get, ["__sim", "requests"]):
            self = .requests
        case (.get, let parts) where parts.count == 2 && parts[0] == "assets" && parts[1].hasSuffix(".png"):
            let name = parts[1].dropLast(4)
            self = .asset(id: String(name.hasSuffix(".thumb") ? name.dropLast(6) : name))
        default:
            self = .notFound
        }
    }

    /// The portal call this route is, if any.
    var call: SimCall? {
        switch self {
        case .add: .add
        case .upload: .upload
        case .edit: .edit
        case .full: .full
        case .state, .requests, .asset, .notFound: nil
        }
    }

    /// The simulator's own control routes are not recorded as portal traffic.
    var isControl: Bool {
        switch self {
        case .state, .requests, .asset: true
        default: false
        }
    }
}
