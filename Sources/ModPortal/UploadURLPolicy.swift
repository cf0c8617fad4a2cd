import Foundation

/// Decides where an image may be sent: only to the portal's own origin, or to an https host
/// under factorio.com. An `add` answer pointing elsewhere is refused rather than followed.
public struct UploadURLPolicy: Sendable {
    public let portalBaseURL: URL

    public init(portalBaseURL: URL) {
        self.portalBaseURL = portalBaseURL
    }

    public func allows(_ url: URL) -> Bool {
        guard let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased() else { return false }
        if scheme == "https" && (host == "factorio.com" || host.hasSuffix(".factorio.com")) {
            return true
        }
        return scheme == portalBaseURL.scheme?.lowercased()
            && host == portalBaseURL.host?.lowercased()
            && Self.effectivePort(url) == Self.effectivePort(portalBaseURL)
    }

    private static func effectivePort(_ url: URL) -> Int? {
        if let port = url.port { return port }
        switch url.scheme?.lowercased() {
        case "https": return 443
        case "http": return 80
        default: return nil
        }
    }
}
