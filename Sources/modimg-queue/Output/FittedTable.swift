import ModImgQueue

/// A table for a person, fitted to the terminal by `TableFitter` (every column whole when
/// `maxWidth` is nil: `--wide`, or stdout not a terminal), printed whole or as its rows come.
/// Printed as they come, the first batch decides the layout; later rows keep it, and, unfitted,
/// widen the columns their cells need, so rows already printed keep their alignment.
struct FittedTable {
    private let columns: [TableColumn]
    private let maxWidth: Int?
    private var layout: TableLayout?

    init(_ columns: [TableColumn], maxWidth: Int?) {
        self.columns = columns
        self.maxWidth = maxWidth
    }

    /// Prints `rows` (the header first, with the first batch).
    mutating func print(_ rows: [[String]]) {
        var lines: [String] = []
        if let layout {
            self.layout = maxWidth == nil ? layout.widened(toHold: rows) : layout
        } else {
            layout = TableFitter.layout(columns, rows: rows, maxWidth: maxWidth)
            lines = layout!.header
        }
        for row in rows { lines += layout!.lines(row) }
        Swift.print(lines.map { $0 + "\n" }.joined(), terminator: "")
    }

    /// What the reader is told after the rows when columns were left out for room, if any.
    func note(wholeWith option: String) -> String? {
        guard let maxWidth else { return nil }
        return layout?.note(width: maxWidth, wholeWith: option)
    }

    /// `rows` as one fitted table, and the note after it.
    static func text(_ columns: [TableColumn], rows: [[String]], maxWidth: Int?, wholeWith option: String) -> String {
        let layout = TableFitter.layout(columns, rows: rows, maxWidth: maxWidth)
        let lines = layout.header + rows.flatMap(layout.lines)
        let note = maxWidth.flatMap { layout.note(width: $0, wholeWith: option) }
        return (lines + (note.map { [$0] } ?? [])).joined(separator: "\n")
    }
}
