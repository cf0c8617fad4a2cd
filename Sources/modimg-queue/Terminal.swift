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

    /// The width tables must fit: the terminal's, unless `wide` or stdout is not a terminal.
    static func tableWidth(wide: Bool) -> Int? {
        guard !wide else { return nil }
        let stdout = TerminalInfo.of(fd: STDOUT_FILENO)
        return stdout.isTerminal ? stdout.width : nil
    }
}
