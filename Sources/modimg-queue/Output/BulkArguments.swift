import Synchronization

/// argument-parser stores a repeated positional argument by copying its whole array for every
/// value, so `reorder m <10,000 ids>` spent seconds parsing (quadratic in the count). Before
/// parsing, the run of plain values after a bulk command's mod is taken aside, all but its
/// first (which argument-parser still sees, for its checks and usage), and given back to the
/// command after parsing through `values(after:)`.
enum BulkArguments {
    /// Commands shaped `<command> <mod> <value>...`.
    static let commands: Set<String> = ["reorder", "upload", "remove"]

    private static let taken = Mutex<[String]>([])

    /// `arguments` (without the program name) with the run taken aside, and the run.
    static func split(_ arguments: [String]) -> (kept: [String], taken: [String]) {
        guard arguments.count > 3, commands.contains(arguments[0]), !arguments[1].hasPrefix("-") else { return (arguments, []) }
        // The values start after the mod and run until the first option or `--`.
        var end = 2
        while end < arguments.count, !arguments[end].hasPrefix("-") { end += 1 }
        guard end - 2 > 1 else { return (arguments, []) }
        let run = Array(arguments[3..<end])
        return (Array(arguments[..<3]) + Array(arguments[end...]), run)
    }

    static func store(_ values: [String]) {
        taken.withLock { $0 = values }
    }

    /// The parsed values with the ones taken aside back in their place (right after the first,
    /// which was the first of their run), in the order they were given.
    static func values(after parsed: [String]) -> [String] {
        guard let first = parsed.first else { return parsed }
        return [first] + taken.withLock { $0 } + parsed.dropFirst()
    }
}
