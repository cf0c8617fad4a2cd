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
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// Left-aligned columns separated by two spaces.
    static func table(_ rows: [[String]]) -> String {
        guard let width = rows.map(\.count).max() else { return "" }
        let widths = (0..<width).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
