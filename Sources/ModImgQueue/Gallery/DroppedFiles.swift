import Foundation

/// Images a page dropped onto a gallery, kept in a folder beside the queue database
/// (`queue.sqlite3.files/<sha1>/<name>`) so their upload jobs have a file to send, as a job
/// queued by `upload` has the user's file. Checked as `upload` checks a file.
struct DroppedFiles {
    let folder: URL

    init(database: QueueDatabase) {
        folder = URL(fileURLWithPath: database.path + ".files", isDirectory: true)
    }

    enum Kept {
        case kept(ImageFile)
        /// Why the bytes are not an image the portal takes, or could not be stored.
        case refused(String)
    }

    /// The image kept, or why not.
    func keep(_ data: Data, named name: String) -> Kept {
        let fileName = Self.safeName(name)
        let manager = FileManager.default
        let scratch = folder.appendingPathComponent(".incoming-\(UUID().uuidString)", isDirectory: true)
        do {
            try manager.createDirectory(at: scratch, withIntermediateDirectories: true)
            defer { try? manager.removeItem(at: scratch) }
            let written = scratch.appendingPathComponent(fileName)
            try data.write(to: written, options: .atomic)
            let inspected: ImageFile
            do {
                inspected = try ImageFile.inspect(path: written.path)
            } catch {
                return .refused(Self.reason(error))
            }
            let home = folder.appendingPathComponent(inspected.sha1, isDirectory: true)
            let kept = home.appendingPathComponent(fileName)
            if !manager.fileExists(atPath: kept.path) {
                try manager.createDirectory(at: home, withIntermediateDirectories: true)
                try manager.moveItem(at: written, to: kept)
            }
            return .kept(ImageFile(path: kept.path, sha1: inspected.sha1, size: inspected.size, format: inspected.format))
        } catch {
            return .refused("it could not be stored beside the queue (\(error.localizedDescription))")
        }
    }

    /// The last component of what the browser called the file, without control characters,
    /// never empty, never `.` or `..`, at most 100 characters.
    static func safeName(_ name: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(String.UnicodeScalarView(last.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }).prefix(100))
        return clean.isEmpty || clean == "." || clean == ".." ? "image" : clean
    }

    /// Why the bytes are refused, without the scratch path the check saw.
    static func reason(_ error: ImageFileError) -> String {
        switch error {
        case .empty: "it is empty"
        case .tooLarge(_, let size, let limit): "it is \(size) bytes, more than the \(limit) an image may have"
        case .notAnImage: "it is not a PNG, JPEG or GIF image by its content"
        case .truncated(_, let format): "it is a \(format.rawValue.uppercased()) that ends too soon (cut off?)"
        default: "it could not be read back"
        }
    }
}
