import Foundation
import ModPortal

/// What a mod's gallery should be: its images in gallery order, and whether gallery
/// images not listed are removed (`prune`) or kept after the listed ones.
public struct GallerySpec: Sendable, Equatable {
    public let mod: String
    public let imagePaths: [String]
    public let prune: Bool
    /// Files of the mod's folder that are not queued, with why (a manifest names only images).
    public var leftOut: [LeftOutFile]

    public init(mod: String, imagePaths: [String], prune: Bool, leftOut: [LeftOutFile] = []) {
        self.mod = mod
        self.imagePaths = imagePaths
        self.prune = prune
        self.leftOut = leftOut
    }
}

/// What a folder or manifest asks for: a gallery per mod, and what of the folder is left out
/// outside any mod (mod folders with no images, files in the top folder).
public struct GallerySource: Sendable, Equatable {
    public var specs: [GallerySpec]
    public var leftOut: [LeftOutFile]

    public init(specs: [GallerySpec], leftOut: [LeftOutFile] = []) {
        self.specs = specs
        self.leftOut = leftOut
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
        try read(path: path).specs
    }

    /// As `load(path:)`, with what a folder holds that is not queued, each with its reason.
    public static func read(path: String) throws(GallerySpecError) -> GallerySource {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .notFound(path) }
        if isDirectory.boolValue { return try loadFolder(path) }
        switch (path as NSString).pathExtension.lowercased() {
        case "json": return GallerySource(specs: try ManifestParser.parseJSON(file: path))
        case "toml": return GallerySource(specs: try ManifestParser.parseTOML(file: path))
        default: throw .unsupportedManifest(path)
        }
    }

    /// Names are read as the file system keeps them (bytes): a mod folder or image whose name is
    /// not UTF-8 is refused for that reason, shown escaped. Hidden files (`.name`) are ignored;
    /// every other file not queued is left out with its reason.
    static func loadFolder(_ path: String) throws(GallerySpecError) -> GallerySource {
        let root = URL(fileURLWithPath: ImageFile.absolute(path)).path
        let visible = (FileNameBytes.entries(of: root) ?? []).filter { $0.bytes.first != 0x2E }.sorted { $0.shown < $1.shown }
        var source = GallerySource(specs: [])
        for entry in visible where !FileNameBytes.isFolder(entry.bytes, in: root) {
            source.leftOut.append(LeftOutFile(path: root + "/" + entry.shown, reason: .outsideModFolder))
        }
        for entry in visible where FileNameBytes.isFolder(entry.bytes, in: root) {
            let folderPath = root + "/" + entry.shown
            let folderBytes = Array(root.utf8) + [0x2F] + entry.bytes
            let contents = (FileNameBytes.entries(of: folderBytes) ?? []).filter { $0.bytes.first != 0x2E }
                .sorted { $0.shown < $1.shown }
            var files: [FileNameBytes.Entry] = []
            var leftOut: [LeftOutFile] = []
            for item in contents {
                if FileNameBytes.isFolder(item.bytes, in: String(decoding: folderBytes, as: UTF8.self)) {
                    leftOut.append(LeftOutFile(path: folderPath + "/" + item.shown, reason: .folder))
                } else if imageExtensions.contains((item.shown as NSString).pathExtension.lowercased()) {
                    files.append(item)
                } else {
                    leftOut.append(LeftOutFile(path: folderPath + "/" + item.shown, reason: .notAnImage))
                }
            }
            guard !files.isEmpty else {
                source.leftOut.append(LeftOutFile(path: folderPath, reason: .noImages))
                source.leftOut += leftOut
                continue
            }
            guard let mod = entry.name, Identifiers.isValidModName(mod) else { throw .invalidModFolder(folderPath) }
            if let stray = files.first(where: { $0.name == nil }) { throw .nameNotUTF8(folderPath + "/" + stray.shown) }
            let images = files.compactMap(\.name).sorted().map { folderPath + "/" + $0 }
            source.specs.append(GallerySpec(mod: mod, imagePaths: images, prune: false, leftOut: leftOut))
        }
        guard !source.specs.isEmpty else { throw .emptyFolder(path) }
        return source
    }
}
