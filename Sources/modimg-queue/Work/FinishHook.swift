import Foundation
import ModImgQueue

/// `work --on-finish CMD`: runs `CMD` with `/bin/sh -c` when the queue is finished (with
/// `--follow`, each time it drains), with the run's counts in its environment and without the
/// API key: the hook reports on the run, it has no business with the portal in the key's name.
struct FinishHook {
    let command: String
    let database: String

    /// Inherited variables `CMD` does not see.
    static let withheldVariables: Set<String> = [WorkerSetup.apiKeyVariable]

    /// The variables `CMD` sees, besides the inherited environment.
    func environment(_ progress: RunProgress, now: Double) -> [String: String] {
        [
            "MODIMG_QUEUE_DB": database,
            "MODIMG_DONE": "\(progress.done)",
            "MODIMG_FAILED": "\(progress.failed)",
            "MODIMG_REQUESTS": "\(progress.requests)",
            "MODIMG_FAILED_MODS": progress.failedMods.joined(separator: " "),
            "MODIMG_ELAPSED_SECONDS": "\(max(0, Int((now - progress.startedAt).rounded())))",
        ]
    }

    /// Runs the command and waits for it; a command that cannot start or fails is reported, not fatal.
    func run(_ progress: RunProgress, now: Double) -> String? {
        let process: ChildProcess
        do {
            process = try ChildProcess(
                executable: "/bin/sh", arguments: ["-c", command],
                environment: ProcessInfo.processInfo.environment.filter { !Self.withheldVariables.contains($0.key) }
                    .merging(environment(progress, now: now)) { $1 })
        } catch {
            return "the --on-finish command could not start: \(error.localizedDescription)"
        }
        let ended = process.waitUntilExit()
        if ended.signalled { return "the --on-finish command was ended by signal \(ended.status)" }
        return ended.status == 0 ? nil : "the --on-finish command exited with status \(ended.status)"
    }
}
