/// One rule for fitting a table to a terminal, used by `status`, `history` and `jobs`. When the
/// table is wider than the terminal, columns give way in this order, each step only if the one
/// before did not make it fit:
/// 1. columns that hold nothing (`-`, or `0` in every row of a count) are dropped;
/// 2. paths are shortened from the left, down to `…/` and the file name;
/// 3. addresses are shortened in the middle, down to `…/` and their last part;
/// 4. addresses are dropped, the rightmost first (the layout names them, so the reader is told);
/// 5. the last column, if it is text, wraps under itself (steps 2 to 4 leave it 40 characters),
///    down to 24 characters;
/// 6. paths are shortened further, down to the end of the file name (8 characters at least);
/// 7. the last column, if it is text, wraps in all the room left, or, with less than 24
///    characters left, leaves the table: under each row holding something in it, a line of its own.
/// Names and text keep their room: what is left too wide runs past the edge rather than being cut.
public enum TableFitter {
    /// The most a last text column asks for while the others give way.
    static let textRoom = 40

    public static func layout(_ columns: [TableColumn], rows: [[String]], maxWidth: Int?) -> TableLayout {
        var widths = columns.indices.map { column in
            rows.reduce(columns[column].title.count) { max($0, $1.count > column ? $1[column].count : 0) }
        }
        let natural = widths
        var shown = Array(columns.indices)
        guard let maxWidth else { return TableLayout(columns: columns, shown: shown, widths: widths, droppedForRoom: [], maxWidth: nil) }
        func overflow() -> Int { shown.reduce(0) { $0 + widths[$1] } + 2 * max(0, shown.count - 1) - maxWidth }
        // A last text column wraps: while other columns give way it asks for no more than
        // `textRoom`, and afterwards takes whatever room is left.
        let wrapping = columns.indices.last.flatMap { columns[$0].kind == .text ? $0 : nil }
        if let wrapping, overflow() > 0 { widths[wrapping] = min(widths[wrapping], Self.textRoom) }

        if overflow() > 0 {
            shown.removeAll { column in
                columns[column].kind != .name && rows.allSatisfy { $0.count <= column || columns[column].isBlank($0[column]) }
            }
        }
        func narrowest(_ column: Int) -> Int {
            rows.reduce(min(columns[column].title.count, widths[column])) { width, row in
                row.count > column ? max(width, CellShortening.narrowest(row[column])) : width
            }
        }
        // Takes from the widest of `candidates` first, none below its floor, until the table fits.
        func shrink(_ candidates: [Int], floor: (Int) -> Int) {
            let floors = Dictionary(uniqueKeysWithValues: candidates.map { ($0, floor($0)) })
            while overflow() > 0, let widest = candidates.filter({ widths[$0] > floors[$0]! }).max(by: { widths[$0] < widths[$1] }) {
                widths[widest] -= 1
            }
        }
        let paths = shown.filter { columns[$0].kind == .path }
        let urls = shown.filter { columns[$0].kind == .url }
        shrink(paths, floor: narrowest)
        shrink(urls, floor: narrowest)
        var droppedForRoom: [Int] = []
        for url in urls.reversed() where overflow() > 0 {
            shown.removeAll { $0 == url }
            droppedForRoom.insert(url, at: 0)
        }
        if !droppedForRoom.isEmpty {
            // The room the addresses leave goes back to the paths.
            for path in paths { widths[path] = natural[path] }
            shrink(paths, floor: narrowest)
        }
        // The text gives way to 24 characters before a file name is cut.
        if let wrapping, shown.last == wrapping, overflow() > 0 { widths[wrapping] = max(24, widths[wrapping] - overflow()) }
        shrink(paths) { max(8, columns[$0].title.count) }
        if let wrapping, shown.last == wrapping {
            let room = widths[wrapping] - overflow()
            if room >= 24 { widths[wrapping] = room } else { shown.removeLast() }
        }
        return TableLayout(columns: columns, shown: shown, widths: widths, droppedForRoom: droppedForRoom, maxWidth: maxWidth)
    }
}

/// Which columns a fitted table shows, how wide, and how a row is laid out in them.
public struct TableLayout: Sendable, Equatable {
    public let columns: [TableColumn]
    /// Indices into `columns`, in order.
    public let shown: [Int]
    /// One per column (of `columns`, shown or not).
    public let widths: [Int]
    /// Address columns left out for room, in order: the reader is told (`note`). Any other
    /// column not shown gets a line of its own under each row that holds something in it.
    public let droppedForRoom: [Int]
    /// The width the lines under a row wrap at; nil for whole rows.
    public let maxWidth: Int?

    /// The same columns, each at least as wide as its cells in `rows`: a table printed whole
    /// as its rows come, where earlier rows keep their alignment and later ones widen it.
    public func widened(toHold rows: [[String]]) -> TableLayout {
        var widths = widths
        for row in rows {
            for (column, cell) in row.enumerated() where column < widths.count { widths[column] = max(widths[column], cell.count) }
        }
        return TableLayout(columns: columns, shown: shown, widths: widths, droppedForRoom: droppedForRoom, maxWidth: maxWidth)
    }

    /// The header's lines.
    public var header: [String] { lines(columns.map(\.title), withDropped: false) }

    /// `row` laid out: its cells two spaces apart, each path or address shortened to its column,
    /// the last column wrapped under itself if it is text wider than its column; then, indented,
    /// `title: cell` for each column not shown that holds something in this row (the last text
    /// column moved out for room, or, in a table printed as its rows come and fitted to its first
    /// rows, a column those rows left empty).
    public func lines(_ row: [String]) -> [String] { lines(row, withDropped: true) }

    private func lines(_ row: [String], withDropped: Bool) -> [String] {
        var line = ""
        var more: [String] = []
        for (position, column) in shown.enumerated() {
            var cell = column < row.count ? row[column] : ""
            let width = widths[column]
            switch columns[column].kind {
            case .path: cell = CellShortening.path(cell, to: width)
            case .url: cell = CellShortening.url(cell, to: width)
            case .text where position == shown.count - 1 && cell.count > width:
                let start = line.count
                let wrapped = TextWrapping.lines(cell, width: width, indent: 0)
                cell = wrapped[0]
                more = wrapped.dropFirst().map { String(repeating: " ", count: start) + $0 }
            case .name, .text, .count: break
            }
            line += cell
            if position < shown.count - 1 { line += String(repeating: " ", count: max(width - cell.count, 0) + 2) }
        }
        for column in columns.indices where withDropped && !shown.contains(column) && !droppedForRoom.contains(column) {
            guard column < row.count, !columns[column].isBlank(row[column]) else { continue }
            let line = "    \(columns[column].title.lowercased()): \(row[column])"
            more += maxWidth.map { TextWrapping.lines(line, width: $0, indent: 6) } ?? [line]
        }
        return [line] + more
    }

    /// `URL and THUMBNAIL left out to fit 80 columns; …` when addresses were dropped for room.
    public func note(width: Int, wholeWith option: String) -> String? {
        guard !droppedForRoom.isEmpty else { return nil }
        let names = droppedForRoom.map { columns[$0].title }
        let list = names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " and " + names.last!
        return "\(list) left out to fit \(width) columns; \(option) shows \(names.count == 1 ? "it" : "them")."
    }
}
