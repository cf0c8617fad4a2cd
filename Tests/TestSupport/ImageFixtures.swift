import Foundation

/// Real, decodable image files for tests: each seed gives different pixels, so a different SHA1.
public enum ImageFixtures {
    /// An 8×8 RGB PNG (stored deflate blocks, correct CRCs and Adler-32).
    public static func png(seed: Int) -> Data {
        let width = 8
        let height = 8
        var raw = [UInt8]()
        for y in 0..<height {
            raw.append(0)  // filter: none
            for x in 0..<width {
                let v = UInt32(truncatingIfNeeded: seed &* 2_654_435_761 &+ y &* 31 &+ x &* 7)
                raw += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF)]
            }
        }
        var zlib: [UInt8] = [0x78, 0x01, 0x01]
        zlib += le16(UInt16(raw.count)) + le16(~UInt16(raw.count)) + raw
        zlib += be32(adler32(raw))
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        png += chunk("IHDR", be32(UInt32(width)) + be32(UInt32(height)) + [8, 2, 0, 0, 0])
        png += chunk("IDAT", zlib)
        png += chunk("IEND", [])
        return Data(png)
    }

    /// A minimal GIF89a (1×1).
    public static let gif = Data(
        [0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00,
         0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B])

    /// Writes `png(seed:)` to `directory/name` and returns its path.
    @discardableResult
    public static func writePNG(seed: Int, to directory: URL, name: String? = nil) throws -> String {
        let url = directory.appendingPathComponent(name ?? "image-\(seed).png")
        try png(seed: seed).write(to: url)
        return url.path
    }

    public static func sha1Hex(_ data: Data) -> String { SHA1Reference.hex(data) }

    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        return be32(UInt32(data.count)) + typeBytes + data + be32(crc32(typeBytes + data))
    }

    private static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
    private static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }

    private static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        return ~crc
    }

    private static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return (b << 16) | a
    }
}
