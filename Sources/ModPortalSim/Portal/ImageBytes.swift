import Crypto
import Foundation

/// What the simulator checks and derives from uploaded image bytes.
enum ImageBytes {
    private static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    private static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF]
    private static let gif87a = Array("GIF87a".utf8)
    private static let gif89a = Array("GIF89a".utf8)

    /// Whether the bytes start like a PNG, JPEG or GIF file.
    static func isSupportedImage(_ bytes: UnsafeRawBufferPointer) -> Bool {
        [png, jpeg, gif87a, gif89a].contains { magic in
            bytes.count >= magic.count && zip(bytes, magic).allSatisfy { $0 == $1 }
        }
    }

    /// Lowercase hex SHA1 of the bytes: the portal's image id.
    static func sha1Hex(_ bytes: UnsafeRawBufferPointer) -> String {
        var hasher = Insecure.SHA1()
        hasher.update(bufferPointer: bytes)
        return HexDigits.string(hasher.finalize())
    }

    static func sha1Hex(_ data: Data) -> String {
        data.withUnsafeBytes { sha1Hex($0) }
    }
}
