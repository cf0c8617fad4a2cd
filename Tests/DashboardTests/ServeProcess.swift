import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization
import TestSupport

/// `modimg-queue serve --port 0` run as a real process; its URL read from the first line of stdout.
final class ServeProcess: Sendable {
    let process: Process
    let url: String
    private let stderrText = StderrText()

    init(db: String, arguments: [String] = []) throws {
        let process = Process()
        process.executableURL = Binaries.modimgQueue
        process.arguments = ["serve", "--port", "0", "--db", db] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
        Thread.detachNewThread { [stderrText] in
            let data = err.fileHandleForReading.readDataToEndOfFile()
            stderrText.text.withLock { $0 = String(decoding: data, as: UTF8.self) }
        }
        // The first line, read byte by byte (blocking this thread only until serve prints it or exits).
        var line = Data()
        while true {
            let byte = out.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        url = String(decoding: line, as: UTF8.self)
    }

    /// Everything it wrote to stderr, once it has exited.
    var stderr: String { stderrText.text.withLock { $0 } }

    /// SIGTERM, then waits for the exit; returns the exit status, or nil if it had not exited
    /// 20 s later (it is then killed).
    @discardableResult
    func stop() -> Int32? {
        if process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        guard !process.isRunning else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}

private final class StderrText: Sendable {
    let text = Mutex("")
}

/// A plain GET with a real HTTP client: the status and the body as text.
func httpGet(_ url: String) async throws -> (status: UInt, body: String) {
    let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(30))
    let body = try await response.body.collect(upTo: 16 << 20)
    return (response.status.code, String(buffer: body))
}
