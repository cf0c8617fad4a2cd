import ModPortal

/// A file or folder of a gallery folder that `enqueue` does not queue, and why: the plan names
/// each one, so nothing leaves it without a word.
public struct LeftOutFile: Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
        /// Not a PNG, JPEG or GIF by its extension (`.webp`, `.bak`, `.txt`).
        case notAnImage
        /// A folder inside a mod folder: only the files directly in it are read.
        case folder
        /// The same bytes as another image of the mod (its path), which stands for both.
        case duplicate(of: String)
        /// A mod folder that holds no images: nothing is planned for it.
        case noImages
        /// A file directly in the top folder, in no mod folder.
        case outsideModFolder
    }

    /// The file's path; a name that is not UTF-8 has its stray bytes escaped (`\xFF`).
    public let path: String
    public let reason: Reason

    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    /// The last part of the path, made safe for a terminal (a file name may hold anything).
    public var name: String {
        PortalText.sanitized(path.split(separator: "/").last.map(String.init) ?? path, limit: 200)
    }

    /// Why it is left out, in a few words.
    public var explanation: String {
        switch reason {
        case .notAnImage: return "not an image the portal takes (only .png, .jpg, .jpeg and .gif files are read)"
        case .folder: return "a folder (only the files directly in the mod folder are read)"
        case .duplicate(let original):
            let other = PortalText.sanitized(original.split(separator: "/").last.map(String.init) ?? original, limit: 200)
            return "the same bytes as \(other), which stands for both"
        case .noImages: return "no images, so nothing is planned for this mod"
        case .outsideModFolder: return "not in a mod folder (images go in <folder>/<mod-name>/)"
        }
    }
}
