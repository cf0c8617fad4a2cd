import Foundation

/// Real image files of a few dozen bytes, each with its own SHA1.
enum TinyImages {
    /// Writes `count` of them into a fresh `folder`; returns their paths.
    static func write(count: Int, in folder: String) throws -> [String] {
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return try (0..<count).map { i in
            let path = (folder as NSString).appendingPathComponent("\(i).gif")
            // A 1×1 GIF whose comment makes each file, and so each SHA1, different.
            var bytes: [UInt8] = Array("GIF89a".utf8) + [1, 0, 1, 0, 0x80, 0, 0, 0xFF, 0xFF, 0xFF, 0, 0, 0]
            let comment = Array("\(i)".utf8)
            bytes += [0x21, 0xFE, UInt8(comment.count)] + comment + [0]
            bytes += [0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3B]
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return path
        }
    }
}
