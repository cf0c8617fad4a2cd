import Foundation
import ModPortal

/// What a mod's gallery should be: its images in gallery order, and whether gallery
/// images not listed are removed (`prune`) or kept after the listed ones.
public struct GallerySpec: Sendable, Equatable {
    public let mod: String
    public let imagePaths: [String]
    public let prune: Bool

    public init(mod: String, imagePaths: [String], prune: Bool) {
        self.mod = mod
        self.imagePaths = imagePaths
        self.prune = prune
    }
}

/// Why a folder or manifest cannot be read as gallery specs; each names the place.
public enum GallerySpecError: Error, Equatable, CustomStringConvertible {
    case notFound(String)
    case emptyFolder(String)
    /// A mod folder whose name is not a valid mod name: the folder's path.
    case invalidModFolder(String)
    case unsupportedManifest(String)
    case syntax(file: String, line: Int?, column: Int?, detail: String)
    case field(file: String, path: String, detail: String)
    case duplicateMod(file: String, mod: String)
    /// An image in a mod folder whose name is not UTF-8: its path, stray bytes escaped (`\xFF`).
    case nameNotUTF8(String)

    public var description: String {
        switch self {
        case .notFound(let path):
            return "\(path) does not exist; give a folder of per-mod folders or a manifest file."
        case .emptyFolder(let path):
            return "\(path) has no mod folders with images; put each mod's images in <folder>/<mod-name>/."
        case .invalidModFolder(let folder):
            // A file name may hold anything, escape sequences included: shown made safe.
            let (shown, name) = (PortalText.sanitized(folder, limit: 400), PortalText.sanitized((folder as NSString).lastPathComponent))
            return "the folder \(shown) is named \"\(name)\", which is not a valid mod name; name each folder after its mod's portal name (letters, digits, - and _)."
        case .unsupportedManifest(let path):
            return "\(path) is neither a folder nor a .toml or .json manifest; see the manifest format in the README."
        case .syntax(let file, let line, let column, let detail):
            let place = line.map { " at line \($0)" + (column.map { ", column \($0)" } ?? "") } ?? ""
            return "\(file) is malformed\(place): \(detail); fix the manifest and run again."
        case .field(let file, let path, let detail):
            return "\(file): \(path) \(detail); fix the manifest and run again."
        case .duplicateMod(let file, let mod):
            return "\(file) lists the mod \(mod) twice; merge its entries."
        case .nameNotUTF8(let shown):
            return "the file \(PortalText.sanitized(shown, limit: 400)) has a name that is not valid UTF-8, which the queue cannot keep; "
                + "rename it to a UTF-8 name and run again."
        }
    }
}

public enum GallerySpecLoader {
    static let imageExtensions: Set<String> = ["png", "jpg", "jpeg", "gif"]

    /// Reads `path`: a folder with one subfolder per mod (file-name order is gallery order,
    /// never pruning), or a `.toml` / `.json` manifest.
    public static func load(path: String) throws(GallerySpecError) -> [GallerySpec] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .notFound(path) }
        if isDirectory.boolValue { return try loadFolder(path) }
        switch (path as NSString).pathExtension.lowercased() {
        case "json": return try ManifestParser.parseJSON(file: path)
        case "toml": return try ManifestParser.parseTOML(file: path)
        default: throw .unsupportedManifest(path)
        }
    }

    /// Names are read as the file system keeps them (bytes): a mod folder or image whose name is
    /// not UTF-8 is refused for that reason, shown escaped.
    static func loadFolder(_ path: String) throws(GallerySpecError) -> [GallerySpec] {
        let root = URL(fileURLWithPath: ImageFile.absolute(path)).path
        let entries = (FileNameBytes.entries(of: root) ?? []).filter { $0.bytes.first != 0x2E }
            .filter { FileNameBytes.isFolder($0.bytes, in: root) }
            .sorted { $0.shown < $1.shown }
        var specs: [GallerySpec] = []
        for entry in entries {
            let folderPath = root + "/" + entry.shown
            let files = (FileNameBytes.entries(of: Array(root.utf8) + [0x2F] + entry.bytes) ?? [])
                .filter { $0.bytes.first != 0x2E && imageExtensions.contains(($0.shown as NSString).pathExtension.lowercased()) }
            guard !files.isEmpty else { continue }
            guard let mod = entry.name, Identifiers.isValidModName(mod) else { throw .invalidModFolder(folderPath) }
            if let stray = files.first(where: { $0.name == nil }) { throw .nameNotUTF8(folderPath + "/" + stray.shown) }
            let images = files.compactMap(\.name).sorted().map { folderPath + "/" + $0 }
            specs.append(GallerySpec(mod: mod, imagePaths: images, prune: false))
        }
        guard !specs.isEmpty else { throw .emptyFolder(path) }
        return specs
    }
}
