import Foundation
import ModImgQueue

/// `MODIMG_QUEUE_CRASH_AT=after-add-commit` makes the process SIGKILL itself at that point:
/// the hook the crash tests use to prove a job resumes without a second `add`.
/// `MODIMG_QUEUE_CHAOS_COMMIT_KILL=P` makes each database commit SIGKILL the process with
/// probability P, before the commit is durable (used by `make chaos`).
enum CrashPoint {
    static func installCommitKill(database: QueueDatabase, environment: [String: String]) {
        guard let text = environment["MODIMG_QUEUE_CHAOS_COMMIT_KILL"], let probability = Double(text), probability > 0
        else { return }
        database.setCommitHook {
            if Double.random(in: 0..<1) < probability { kill(getpid(), SIGKILL) }
        }
    }

    static func fromEnvironment(_ environment: [String: String]) -> @Sendable (WorkerCheckpoint, Job) -> Void {
        guard let name = environment["MODIMG_QUEUE_CRASH_AT"], let point = WorkerCheckpoint(rawValue: name) else {
            return { _, _ in }
        }
        return { reached, _ in
            if reached == point { kill(getpid(), SIGKILL) }
        }
    }
}
