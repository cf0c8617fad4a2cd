import AsyncHTTPClient
import Foundation
import ModImgQueue
import NIOCore
import Synchronization
import TestSupport

/// `modimg-queue serve --port 0` run as a real process; its URL read from the first line of stdout.
final class ServeProcess: Sendable {
    let process: ChildProcess
    /// The first line as printed: the address with this launch's `?token=`.
    let printedURL: String
    /// The address without the token, ending in `/`: add a path to it.
    let url: String
    private let stderrText = StderrText()

    init(db: String, arguments: [String] = []) throws {
        let process = try ChildProcess(
            executable: Binaries.modimgQueue.path, arguments: ["serve", "--port", "0", "--db", db] + arguments,
            environment: ProcessInfo.processInfo.environment, standardOutput: .pipe, standardError: .pipe)
        self.process = process
        if let err = process.standardError {
            Thread.detachNewThread { [stderrText] in
                let data = err.readDataToEndOfFile()
                stderrText.text.withLock { $0 = String(decoding: data, as: UTF8.self) }
            }
        }
        // The first line, read byte by byte (blocking this thread only until serve prints it or exits).
        var line = Data()
        while let out = process.standardOutput {
            let byte = out.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        printedURL = String(decoding: line, as: UTF8.self)
        url = printedURL.components(separatedBy: "?").first ?? printedURL
    }

    /// `path` with this launch's token: the first visit of a browser with no cookie yet.
    func withToken(_ path: String) -> String {
        url + path + "?" + (printedURL.components(separatedBy: "?").last ?? "")
    }

    /// Opens the printed URL as a browser does and returns the `Cookie` value its answer sets
    /// (the redirect not followed), to send with each request after.
    func signIn() async throws -> String {
        let response = try await HTTPClient.withoutRedirects.execute(HTTPClientRequest(url: printedURL), timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .seeOther, let pair = response.headers.first(name: "Set-Cookie")?.split(separator: ";").first else {
            throw SignInFailed(status: response.status.code)
        }
        return String(pair)
    }

    /// Everything it wrote to stderr, once it has exited.
    var stderr: String { stderrText.text.withLock { $0 } }

    /// SIGTERM, then waits for the exit; returns the exit status, or nil if it had not exited
    /// 20 s later (it is then killed).
    @discardableResult
    func stop() -> Int32? {
        process.send(SIGTERM)
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        guard !process.isRunning else {
            process.send(SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.waitUntilExit().status
    }

    deinit {
        if process.isRunning {
            process.send(SIGTERM)
            process.waitUntilExit()
        }
    }
}

private final class StderrText: Sendable {
    let text = Mutex("")
}

struct SignInFailed: Error {
    let status: UInt
}

extension HTTPClient {
    /// A client that answers a redirect instead of following it: to see the `Set-Cookie` of one.
    static let withoutRedirects = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
}

/// A plain GET with a real HTTP client, with `cookie` when given: the status and the body as text.
func httpGet(_ url: String, cookie: String? = nil) async throws -> (status: UInt, body: String) {
    var request = HTTPClientRequest(url: url)
    if let cookie { request.headers.add(name: "Cookie", value: cookie) }
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
    let body = try await response.body.collect(upTo: 16 << 20)
    return (response.status.code, String(buffer: body))
}
