import ArgumentParser
import Foundation
import ModImgQueue

/// Printing to stdout and stderr, and turning failures into one sentence and an exit code.
enum Terminal {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("modimg-queue: \(message)\n".utf8))
    }

    /// Runs `body`; a library error becomes one line on stderr and exit status 1.
    static func reportingErrors<T>(database: DatabaseOptions? = nil, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ExitCode {
            throw error
        } catch let error as ValidationError {
            throw error
        } catch {
            Terminal.error(QueueError.sentence(for: error, databasePath: database?.path ?? "the queue database"))
            throw ExitCode(1)
        }
    }

    static func printJSON<T: Encodable>(_ value: T) throws {
        print(String(decoding: try QueueJSON.encode(value), as: UTF8.self))
    }

    /// Left-aligned columns separated by two spaces. With `maxWidth`, a table too wide first
    /// loses its `droppable` columns that hold nothing (every cell `0` or `-`), then the
    /// `shrinkable` columns (widest first, none below 8 characters) are cut, each cut cell
    /// ending in an ellipsis, until it fits.
    static func table(_ rows: [[String]], maxWidth: Int? = nil, shrinkable: [Int] = [], droppable: [Int] = []) -> String {
        var rows = rows
        var shrinkable = shrinkable
        if let maxWidth, naturalWidth(rows) > maxWidth {
            let empty = Set(droppable.filter { column in rows.dropFirst().allSatisfy { $0.count <= column || ["0", "-"].contains($0[column]) } })
            if !empty.isEmpty {
                rows = rows.map { row in row.enumerated().filter { !empty.contains($0.offset) }.map(\.element) }
                shrinkable = shrinkable.filter { !empty.contains($0) }.map { column in column - empty.filter { $0 < column }.count }
            }
        }
        guard let width = rows.map(\.count).max() else { return "" }
        var widths = [Int](repeating: 0, count: width)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        if let maxWidth {
            var overflow = widths.reduce(0, +) + 2 * (width - 1) - maxWidth
            while overflow > 0, let widest = shrinkable.filter({ widths[$0] > 8 }).max(by: { widths[$0] < widths[$1] }) {
                let cut = min(overflow, widths[widest] - 8)
                widths[widest] -= cut
                overflow -= cut
            }
        }
        var text = ""
        for (rowIndex, row) in rows.enumerated() {
            if rowIndex > 0 { text += "\n" }
            for (index, cell) in row.enumerated() {
                let shown = TextFit.truncated(cell, to: widths[index])
                text += shown
                if index < row.count - 1 { text += String(repeating: " ", count: widths[index] - shown.count + 2) }
            }
        }
        return text
    }

    private static func naturalWidth(_ rows: [[String]]) -> Int {
        guard let columns = rows.map(\.count).max() else { return 0 }
        return (0..<columns).map { column in rows.map { $0.count > column ? $0[column].count : 0 }.max() ?? 0 }.reduce(0, +)
            + 2 * (columns - 1)
    }

    /// The width tables must fit: the terminal's, unless `wide` or stdout is not a terminal.
    static func tableWidth(wide: Bool) -> Int? {
        guard !wide else { return nil }
        let stdout = TerminalInfo.of(fd: STDOUT_FILENO)
        return stdout.isTerminal ? stdout.width : nil
    }
}
