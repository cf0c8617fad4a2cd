import Foundation
import ModImgQueue
import ModPortal

/// What `work` prints when it ends: how long, how much, and for each mod that failed in this
/// run, its root cause and the next step.
enum RunSummary {
    static func text(_ progress: RunProgress, elapsed: Double, cancelled: Int, causes: [ModFailure], width: Int? = nil) -> String {
        var lines = [
            "finished in \(Clock.duration(elapsed)): \(progress.done) done, \(progress.failed) failed, \(cancelled) cancelled; "
                + "\(progress.requests) request\(progress.requests == 1 ? "" : "s") sent."
        ]
        let failedHere = causes.filter { progress.failedMods.contains($0.mod) }
        if !failedHere.isEmpty {
            lines.append("failed in this run:")
            for cause in failedHere {
                let count = "\(cause.failedJobs) job\(cause.failedJobs == 1 ? "" : "s")"
                lines.append(fit("  \(cause.mod) (\(count)): \(cause.failure.description)", width))
                lines.append(fit("    next: \(cause.nextStep)", width))
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func fit(_ line: String, _ width: Int?) -> String {
        width.map { TextFit.truncated(line, to: $0) } ?? line
    }
}
