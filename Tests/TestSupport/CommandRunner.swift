import Foundation
import Synchronization

/// The built executables, run as a user would run them.
public enum Binaries {
    /// `$MODIMG_QUEUE_BIN_DIR`, else the package's `.build/debug`.
    public static var directory: URL {
        if let dir = ProcessInfo.processInfo.environment["MODIMG_QUEUE_BIN_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir)
        }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return packageRoot.appendingPathComponent(".build/debug")
    }

    public static var modimgQueue: URL { directory.appendingPathComponent("modimg-queue") }
    public static var modportalSim: URL { directory.appendingPathComponent("modportal-sim") }
}

public struct CommandResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
    /// True when the process ended by a signal rather than `exit`.
    public let signalled: Bool
}

public enum CommandRunner {
    /// Runs `executable` to completion. The environment is the test's, minus the portal key,
    /// plus `environment`.
    public static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String] = [:], currentDirectory: URL? = nil
    ) async throws -> CommandResult {
        let process = try start(executable, arguments, environment: environment, currentDirectory: currentDirectory)
        return await process.wait()
    }

    public static func start(
        _ executable: URL, _ arguments: [String], environment: [String: String] = [:], currentDirectory: URL? = nil
    ) throws -> RunningCommand {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "MOD_EDIT_API_KEY")
        env.removeValue(forKey: "MODIMG_QUEUE_DB")
        env.removeValue(forKey: "MODIMG_PORTAL_URL")
        env.merge(environment) { _, new in new }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let running = RunningCommand(process: process, out: out, err: err)
        try process.run()
        return running
    }
}

/// A child process whose output is collected as it runs. Waiting for it never blocks a
/// Swift concurrency thread: the in-process simulator needs those to answer the child.
public final class RunningCommand: Sendable {
    private struct State {
        var outData = Data()
        var errData = Data()
        var finished: CommandResult?
        var waiters: [CheckedContinuation<CommandResult, Never>] = []
    }

    public let process: Process
    private let state = Mutex(State())

    init(process: Process, out: Pipe, err: Pipe) {
        self.process = process
        let readers = DispatchGroup()
        for (pipe, isOut) in [(out, true), (err, false)] {
            readers.enter()
            Thread.detachNewThread { [self] in
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                state.withLock { state in
                    if isOut { state.outData = data } else { state.errData = data }
                }
                readers.leave()
            }
        }
        process.terminationHandler = { [self] process in
            readers.wait()
            let (result, pending) = state.withLock { state in
                let result = CommandResult(
                    status: process.terminationStatus, stdout: String(decoding: state.outData, as: UTF8.self),
                    stderr: String(decoding: state.errData, as: UTF8.self),
                    signalled: process.terminationReason == .uncaughtSignal)
                state.finished = result
                defer { state.waiters = [] }
                return (result, state.waiters)
            }
            for waiter in pending { waiter.resume(returning: result) }
        }
    }

    public var pid: Int32 { process.processIdentifier }

    public func kill(_ signal: Int32) {
        Foundation.kill(process.processIdentifier, signal)
    }

    public func wait() async -> CommandResult {
        await withCheckedContinuation { continuation in
            let finished = state.withLock { state -> CommandResult? in
                if state.finished == nil { state.waiters.append(continuation) }
                return state.finished
            }
            if let finished { continuation.resume(returning: finished) }
        }
    }
}
