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

    static func loadFolder(_ path: String) throws(GallerySpecError) -> [GallerySpec] {
        let root = URL(fileURLWithPath: ImageFile.absolute(path))
        let fm = FileManager.default
        let entries = ((try? fm.contentsOfDirectory(atPath: root.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        var specs: [GallerySpec] = []
        for entry in entries {
            let folder = root.appendingPathComponent(entry)
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            let folderPath = folder.path
            let images = ((try? fm.contentsOfDirectory(atPath: folderPath)) ?? [])
                .filter { !$0.hasPrefix(".") && imageExtensions.contains(($0 as NSString).pathExtension.lowercased()) }
                .sorted()
                .map { folderPath + "/" + $0 }
            guard !images.isEmpty else { continue }
            guard Identifiers.isValidModName(entry) else { throw .invalidModFolder(folder.path) }
            specs.append(GallerySpec(mod: entry, imagePaths: images, prune: false))
        }
        guard !specs.isEmpty else { throw .emptyFolder(path) }
        return specs
    }
}
