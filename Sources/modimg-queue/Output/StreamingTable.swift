/// A table printed as its rows come, a batch at a time, in `Terminal.table`'s layout (left-aligned
/// columns two spaces apart): each column as wide as its widest cell so far, so rows printed
/// before a wider cell came keep their alignment and the first batch looks as a whole table would.
struct StreamingTable {
    private var header: [String]?
    private var widths: [Int]

    init(header: [String]) {
        self.header = header
        widths = header.map(\.count)
    }

    /// Prints `rows` (the header first, with the first batch).
    mutating func print(_ rows: [[String]]) {
        let batch = (header.map { [$0] } ?? []) + rows
        header = nil
        for row in batch {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        var text = ""
        for row in batch {
            for (index, cell) in row.enumerated() {
                text += cell
                if index < row.count - 1 { text += String(repeating: " ", count: max(widths[index] - cell.count, 0) + 2) }
            }
            text += "\n"
        }
        Swift.print(text, terminator: "")
    }
}
