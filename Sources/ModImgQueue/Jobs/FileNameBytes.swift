import Foundation

/// File names as the file system keeps them: bytes, which need not be UTF-8. A path is text in
/// the queue, so a name that is not UTF-8 cannot be queued: it is shown with its stray bytes
/// escaped (`shot-\xFF.png`) and refused for that reason, never taken for a missing file.
enum FileNameBytes {
    struct Entry: Equatable {
        let bytes: [UInt8]
        /// The name, if it is UTF-8.
        var name: String? { String(validating: bytes, as: UTF8.self) }
        var shown: String { FileNameBytes.escaped(bytes) }
    }

    private static let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!

    /// The entries of `folder` but `.` and `..`, as bytes; nil if it cannot be listed.
    static func entries(of folder: String) -> [Entry]? { entries(of: Array(folder.utf8)) }

    /// The entries of the folder whose path is `folder` (bytes); nil if it cannot be listed.
    static func entries(of folder: [UInt8]) -> [Entry]? {
        let stream = (folder + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { opendir($0.baseAddress!) }
        }
        guard let stream else { return nil }
        defer { closedir(stream) }
        var entries: [Entry] = []
        while let entry = readdir(stream) {
            // Read in place, never copied out whole: a record is only as long as its name, and
            // copying all 256 bytes of `d_name` can run past the end of readdir's buffer.
            let name = UnsafeRawPointer(entry).advanced(by: nameOffset).assumingMemoryBound(to: CChar.self)
            let bytes = Array(UnsafeRawBufferPointer(start: name, count: strlen(name)))
            if bytes != [0x2E] && bytes != [0x2E, 0x2E] { entries.append(Entry(bytes: bytes)) }
        }
        return entries
    }

    /// Whether `name` inside `folder` is a folder (following a symbolic link).
    static func isFolder(_ name: [UInt8], in folder: String) -> Bool {
        let path = Array(folder.utf8) + [0x2F] + name + [0]
        var info = stat()
        let found = path.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { stat($0.baseAddress!, &info) == 0 }
        }
        return found && info.st_mode & S_IFMT == S_IFDIR
    }

    /// `bytes` as text: UTF-8 as it is, every byte that is not part of valid UTF-8 as `\xHH`.
    static func escaped(_ bytes: [UInt8]) -> String {
        var shown = ""
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        loop: while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                shown.unicodeScalars.append(Unicode.UTF8.decode(encoded))
                offset += encoded.count
            case .error(let length):
                for byte in bytes[offset..<offset + length] { shown += "\\x" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2) }
                offset += length
            case .emptyInput:
                break loop
            }
        }
        return shown
    }

    /// If `path` names no file only because the name given was not the file's name in UTF-8
    /// (the name was read as text, its stray bytes replaced by U+FFFD): that file's path, escaped.
    static func nonUTF8Original(of path: String) -> String? {
        guard path.unicodeScalars.contains("\u{FFFD}") else { return nil }
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        guard
            let match = entries(of: folder.isEmpty ? "." : folder)?.first(where: {
                $0.name == nil && String(decoding: $0.bytes, as: UTF8.self) == name
            })
        else { return nil }
        return (folder.isEmpty ? "" : folder + "/") + match.shown
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
