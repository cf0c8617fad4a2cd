import Foundation

/// Reads gallery manifests. Both formats carry the same fields:
///
///     [[mod]]                      {"mods": [
///     name = "my-mod"                {"name": "my-mod",
///     prune = false                   "prune": false,
///     images = ["a.png", "b.png"]     "images": ["a.png", "b.png"]}
///                                   ]}
///
/// Image paths are relative to the manifest's folder unless absolute.
enum ManifestParser {
    static func parseJSON(file: String) throws(GallerySpecError) -> [GallerySpec] {
        guard let data = FileManager.default.contents(atPath: file) else { throw .notFound(file) }
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            let (line, column) = jsonErrorPosition(error, data: data)
            throw .syntax(file: file, line: line, column: column, detail: "not valid JSON")
        }
        guard let object = root as? [String: Any] else {
            throw .field(file: file, path: "the top level", detail: "must be an object with a \"mods\" list")
        }
        guard let mods = object["mods"] as? [Any] else {
            throw .field(file: file, path: "mods", detail: "is missing or not a list")
        }
        return try specs(from: mods.map { $0 as? [String: Any] }, file: file, listName: "mods")
    }

    static func parseTOML(file: String) throws(GallerySpecError) -> [GallerySpec] {
        guard let data = FileManager.default.contents(atPath: file) else { throw .notFound(file) }
        let tables = try TOMLManifest.modTables(String(decoding: data, as: UTF8.self), file: file)
        return try specs(from: tables, file: file, listName: "mod")
    }

    /// Checks each entry's fields and resolves its image paths.
    static func specs(from entries: [[String: Any]?], file: String, listName: String) throws(GallerySpecError)
        -> [GallerySpec]
    {
        let basePath = (ImageFile.absolute(file) as NSString).deletingLastPathComponent
        var seen: Set<String> = []
        var specs: [GallerySpec] = []
        for (index, entry) in entries.enumerated() {
            let place = "\(listName)[\(index)]"
            guard let entry else { throw .field(file: file, path: place, detail: "must be a table/object") }
            for key in entry.keys where !["name", "prune", "images"].contains(key) {
                throw .field(file: file, path: "\(place).\(key)", detail: "is not a known field (name, prune, images)")
            }
            guard let name = entry["name"] as? String else {
                throw .field(file: file, path: "\(place).name", detail: "is missing or not a string")
            }
            guard Identifiers.isValidModName(name) else {
                throw .field(file: file, path: "\(place).name", detail: "\"\(name)\" is not a valid mod name")
            }
            guard seen.insert(name).inserted else { throw .duplicateMod(file: file, mod: name) }
            var prune = false
            if let value = entry["prune"] {
                guard let flag = value as? Bool else {
                    throw .field(file: file, path: "\(place).prune", detail: "must be true or false")
                }
                prune = flag
            }
            guard let images = entry["images"] as? [Any], !images.isEmpty else {
                throw .field(file: file, path: "\(place).images", detail: "is missing, empty or not a list")
            }
            var paths: [String] = []
            for (imageIndex, image) in images.enumerated() {
                guard let relative = image as? String, !relative.isEmpty else {
                    throw .field(file: file, path: "\(place).images[\(imageIndex)]", detail: "must be a file path")
                }
                paths.append(ImageFile.absolute(relative.hasPrefix("/") ? relative : basePath + "/" + relative))
            }
            specs.append(GallerySpec(mod: name, imagePaths: paths, prune: prune))
        }
        return specs
    }

    /// Foundation reports JSON syntax errors with a character offset; turn it into line and column.
    private static func jsonErrorPosition(_ error: any Error, data: Data) -> (Int?, Int?) {
        let info = (error as NSError).userInfo
        guard let offset = info["NSJSONSerializationErrorIndex"] as? Int else { return (nil, nil) }
        var line = 1
        var column = 1
        for byte in data.prefix(offset) {
            if byte == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }
}
