/// A column of a table a person reads, and what it holds: the kind decides how the column gives
/// way when the table is wider than the terminal (see `TableFitter`).
public struct TableColumn: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// What a row is about (a mod, a job's or an image's id): never dropped, never cut.
        case name
        /// Prose or a moment (an error, a time): dropped only when it holds nothing; never cut, but
        /// the last column wraps onto lines of its own when nothing else gives way.
        case text
        /// A local file: shortened from the left, keeping the file name (`…/round2/ore-extra.png`).
        case path
        /// An address: shortened in the middle, keeping the start and the last part; dropped
        /// (and said so) when even that does not fit.
        case url
        /// A number: dropped when every row holds 0.
        case count
    }

    public let title: String
    public let kind: Kind

    public init(_ title: String, _ kind: Kind) {
        self.title = title
        self.kind = kind
    }

    /// Whether `cell` says nothing in this column: `-` (or nothing), and `0` for a count.
    func isBlank(_ cell: String) -> Bool {
        cell.isEmpty || cell == "-" || (kind == .count && cell == "0")
    }
}
