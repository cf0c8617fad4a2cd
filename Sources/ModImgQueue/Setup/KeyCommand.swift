import Dispatch
import Foundation
import ModPortal
import Synchronization

/// `--api-key-command CMD` (or `api_key_command`): runs `CMD` with `/bin/sh -c`, as a password
/// manager is run (`pass show factorio/mod-key`, `secret-tool lookup service factorio`,
/// `op read op://…`), and takes the first line it prints. What it prints is never shown, logged
/// or put in an error: only its exit status and (sanitised, the output redacted) its stderr.
enum KeyCommand {
    /// How long the command may take; a password manager waiting for a passphrase nobody can type
    /// (it gets no terminal) would otherwise hold `work` forever.
    static let defaultTimeout: Double = 30

    static func firstLine(of command: String, origin: String, timeout: Double = defaultTimeout) throws(WorkerSetup.SetupError) -> String {
        let process: ChildProcess
        do {
            process = try ChildProcess(
                executable: "/bin/sh", arguments: ["-c", command], environment: ProcessInfo.processInfo.environment,
                standardOutput: .pipe, standardError: .pipe)
        } catch {
            throw .keyCommandUnstartable(origin: origin, detail: error.localizedDescription)
        }
        let output = Output()
        let finished = DispatchGroup()
        for (handle, isOut) in [(process.standardOutput, true), (process.standardError, false)] {
            guard let handle else { continue }
            finished.enter()
            Thread.detachNewThread {
                let data = handle.readDataToEndOfFile()
                output.data.withLock { if isOut { $0.out = data } else { $0.err = data } }
                finished.leave()
            }
        }
        finished.enter()
        Thread.detachNewThread {
            process.waitUntilExit()
            finished.leave()
        }
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            // The child leads its own process group: end it and whatever it started.
            kill(-process.processIdentifier, SIGKILL)
            _ = finished.wait(timeout: .now() + 2)
            throw .keyCommandTimedOut(origin: origin, seconds: Int(timeout.rounded()))
        }
        let (out, err) = output.data.withLock { ($0.out, $0.err) }
        let firstLine = String(decoding: out, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let ended = process.waitUntilExit()
        guard ended.status == 0 && !ended.signalled else {
            let printed = String(decoding: out, as: UTF8.self).split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.count >= 4 }
            let said = PortalText.sanitized(String(decoding: err, as: UTF8.self), limit: 200, redacting: printed)
            throw .keyCommandFailed(origin: origin, status: ended.status, signalled: ended.signalled, stderr: said)
        }
        return firstLine
    }

    /// What the command printed, filled by the threads that read its pipes.
    private final class Output: Sendable {
        let data = Mutex((out: Data(), err: Data()))
    }
}
