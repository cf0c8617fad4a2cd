import Foundation
import ModImgQueue
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
    /// Runs `executable` to completion. The environment is the test's, minus the portal key and
    /// the user's config file, plus `environment`.
    public static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String] = [:], currentDirectory: URL? = nil
    ) async throws -> CommandResult {
        let process = try start(executable, arguments, environment: environment, currentDirectory: currentDirectory)
        return await process.wait()
    }

    /// Runs a helper (`python3`, `sqlite3`…) to its end, blocking this thread, its output
    /// discarded; returns its exit status.
    @discardableResult
    public static func runBlocking(_ executable: String, _ arguments: [String]) throws -> Int32 {
        try ChildProcess(
            executable: executable, arguments: arguments, environment: ProcessInfo.processInfo.environment,
            standardOutput: .discard, standardError: .discard
        ).waitUntilExit().status
    }

    public static func start(
        _ executable: URL, _ arguments: [String], environment: [String: String] = [:], currentDirectory: URL? = nil
    ) throws -> RunningCommand {
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "MOD_EDIT_API_KEY")
        env.removeValue(forKey: "MODIMG_QUEUE_DB")
        env.removeValue(forKey: "MODIMG_PORTAL_URL")
        // No config file of the user running the tests: a test that wants one sets XDG_CONFIG_HOME.
        env["XDG_CONFIG_HOME"] = "/nonexistent/modimg-queue-tests-have-no-config"
        env.merge(environment) { _, new in new }
        let slot = ExitSlot()
        let process = try ChildProcess(
            executable: executable.path, arguments: arguments, environment: env, currentDirectory: currentDirectory?.path,
            standardOutput: .pipe, standardError: .pipe,
            onExit: { termination in slot.handler.withLock { $0 }?(termination) })
        return RunningCommand(process: process, whenEnded: slot)
    }
}

/// A child process whose output is collected as it runs. Waiting for it never blocks a
/// Swift concurrency thread: the in-process simulator needs those to answer the child.
/// (`ChildProcess`, not Foundation's `Process`, whose `run()` can crash this process at random.)
public final class RunningCommand: Sendable {
    private struct State {
        var outData = Data()
        var errData = Data()
        var finished: CommandResult?
        var waiters: [CheckedContinuation<CommandResult, Never>] = []
    }

    public let process: ChildProcess
    private let state = Mutex(State())

    /// `whenEnded` is the slot the process's exit handler calls: filled here, so an exit that
    /// comes before this object exists is still seen (see `ended`).
    init(process: ChildProcess, whenEnded: ExitSlot) {
        self.process = process
        let readers = DispatchGroup()
        for (handle, isOut) in [(process.standardOutput, true), (process.standardError, false)] {
            guard let handle else { continue }
            readers.enter()
            Thread.detachNewThread { [self] in
                let data = handle.readDataToEndOfFile()
                state.withLock { state in
                    if isOut { state.outData = data } else { state.errData = data }
                }
                readers.leave()
            }
        }
        let ended: @Sendable (ChildProcess.Termination) -> Void = { [self] termination in
            readers.wait()
            let (result, pending) = state.withLock { state -> (CommandResult?, [CheckedContinuation<CommandResult, Never>]) in
                // Told twice when the child ended while this object was being made: once is enough.
                guard state.finished == nil else { return (nil, []) }
                let result = CommandResult(
                    status: termination.status, stdout: String(decoding: state.outData, as: UTF8.self),
                    stderr: String(decoding: state.errData, as: UTF8.self), signalled: termination.signalled)
                state.finished = result
                defer { state.waiters = [] }
                return (result, state.waiters)
            }
            guard let result else { return }
            for waiter in pending { waiter.resume(returning: result) }
        }
        let endedAlready = whenEnded.handler.withLock { slot in
            slot = ended
            return process.termination
        }
        if let endedAlready { Thread.detachNewThread { ended(endedAlready) } }
    }

    public var pid: Int32 { process.processIdentifier }

    public func kill(_ signal: Int32) {
        process.send(signal)
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

/// Where a child's exit handler finds what to tell: the `RunningCommand`, made only once the
/// child has started.
final class ExitSlot: Sendable {
    let handler = Mutex<(@Sendable (ChildProcess.Termination) -> Void)?>(nil)
}
