/// A small deterministic PRNG (SplitMix64), so a seeded run can be replayed.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) {
        self.state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in 0..<1.
    mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// `count` random bytes as lowercase hex (2 * count characters).
    mutating func hexToken(bytes count: Int = 20) -> String {
        var out = ""
        out.reserveCapacity(count * 2)
        var word: UInt64 = 0
        for index in 0..<count {
            if index % 8 == 0 { word = next() }
            let byte = UInt8(truncatingIfNeeded: word >> UInt64((index % 8) * 8))
            out += HexDigits.byte(byte)
        }
        return out
    }
}

enum HexDigits {
    private static let digits = Array("0123456789abcdef")

    static func byte(_ byte: UInt8) -> String {
        String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }

    static func string<S: Sequence<UInt8>>(_ bytes: S) -> String {
        var out = ""
        for byte in bytes { out += Self.byte(byte) }
        return out
    }
}
