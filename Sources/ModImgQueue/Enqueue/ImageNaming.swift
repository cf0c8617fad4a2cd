import ModPortal

/// How the single-image commands and the plans name an image: by the file it came from where
/// this database knows one, with its short id, so a user recognises it.
public enum ImageNaming {
    /// `01-overview.png (9c5d913ff559)`, or `9c5d913ff559` when no file is known.
    public static func shown(id: String, file: String?) -> String {
        let short = String(id.prefix(12))
        guard let file, let name = file.split(separator: "/").last else { return short }
        return "\(PortalText.sanitized(String(name), limit: 200)) (\(short))"
    }
}
