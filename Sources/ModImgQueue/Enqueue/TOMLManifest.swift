import TOMLKit

/// The TOML side of `ManifestParser`: turns `[[mod]]` tables into plain dictionaries,
/// so both formats go through the same field checks.
enum TOMLManifest {
    static func modTables(_ text: String, file: String) throws(GallerySpecError) -> [[String: Any]?] {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw .syntax(
                file: file, line: error.source.begin.line, column: error.source.begin.column, detail: error.description)
        } catch {
            throw .syntax(file: file, line: nil, column: nil, detail: String(describing: error))
        }
        for key in root.keys where key != "mod" {
            throw .field(file: file, path: key, detail: "is not a known key (write each mod as a [[mod]] table)")
        }
        guard let mods = root["mod"]?.array else {
            throw .field(file: file, path: "mod", detail: "is missing: write each mod as a [[mod]] table")
        }
        return mods.map { value in
            guard let table = value.table else { return nil }
            var entry: [String: Any] = [:]
            for key in table.keys {
                guard let field = table[key] else { continue }
                if let string = field.string {
                    entry[key] = string
                } else if let flag = field.bool {
                    entry[key] = flag
                } else if let list = field.array {
                    entry[key] = list.map { item -> Any in item.string ?? UnsupportedValue() }
                } else {
                    entry[key] = UnsupportedValue()
                }
            }
            return entry
        }
    }

    /// Stands for a TOML value of a type no field accepts, so the field check reports it.
    struct UnsupportedValue {}
}
