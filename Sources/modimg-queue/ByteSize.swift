import ArgumentParser
import Foundation
import ModImgQueue

/// A positive number of bytes, as `--max-size` takes it: plain bytes (`800000`), or a whole
/// number with a unit — `KB`, `MB`, `GB` (powers of 1000) or `KiB`, `MiB`, `GiB` (powers of
/// 1024), in any case, e.g. `800KB`, `5MB`, `20MiB`, `1GiB`.
struct ByteSize: ExpressibleByArgument, CustomStringConvertible, Sendable {
    let bytes: Int64

    /// Why a text is not a size, as the end of argument-parser's "The value 'x' is invalid" line.
    struct Refusal: Error, CustomStringConvertible {
        let description: String
    }

    /// The largest image `upload` and `enqueue` accept unless told otherwise.
    static let imageLimit = ByteSize(exactly: ImageFile.defaultMaxBytes)

    private static let units: [(name: String, multiplier: Int64)] = [
        ("kib", 1 << 10), ("mib", 1 << 20), ("gib", 1 << 30),
        ("kb", 1_000), ("mb", 1_000_000), ("gb", 1_000_000_000), ("b", 1),
    ]

    private init(exactly bytes: Int64) {
        self.bytes = bytes
    }

    init?(argument: String) {
        guard let size = try? Self.parse(argument) else { return nil }
        self = size
    }

    /// Parses `text`, saying in a few words why it is not a positive size.
    static func parse(_ text: String) throws -> ByteSize {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        let unitText = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
        if trimmed.hasPrefix("-"), trimmed.dropFirst().first.map({ $0.isASCII && $0.isNumber }) == true {
            throw Refusal(description: "a size cannot be negative")
        }
        guard !digits.isEmpty, let unit = unitText.isEmpty ? 1 : units.first(where: { $0.name == unitText })?.multiplier else {
            throw Refusal(description: "it is not a size; give bytes (800000) or a whole number with KB, MB, GB, KiB, MiB or GiB (5MB, 20MiB)")
        }
        guard let number = Int64(digits) else { throw tooLarge }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: unit)
        guard !overflow else { throw tooLarge }
        guard bytes > 0 else { throw Refusal(description: "a size must be more than zero bytes") }
        return ByteSize(exactly: bytes)
    }

    private static var tooLarge: Refusal {
        Refusal(description: "it is more than the largest size this tool can count (\(Int64.max) bytes)")
    }

    /// The largest unit that divides the size exactly: `20MiB`, `5MB`, `1KB`, `1234`.
    var description: String {
        for (name, multiplier) in [("GiB", Int64(1) << 30), ("GB", 1_000_000_000), ("MiB", 1 << 20), ("MB", 1_000_000), ("KiB", 1 << 10), ("KB", 1_000)]
        where bytes % multiplier == 0 {
            return "\(bytes / multiplier)\(name)"
        }
        return "\(bytes)"
    }

    var defaultValueDescription: String { description }
}

extension ByteSize {
    /// `--max-size`'s help, shared by `upload` and `enqueue`. The option parses with `parse`
    /// (a `transform`) so a refusal says why; argument-parser then shows no default of its own.
    static let maxSizeHelp = ArgumentHelp(
        "Largest image accepted: bytes, or a whole number with KB, MB, GB (powers of 1000) or KiB, MiB, GiB (powers of 1024). (default: \(imageLimit))",
        valueName: "size")
}
