import Foundation
import ModImgQueue
import ModPortal

/// What `work` prints when it ends: how long, how much, and for each mod that failed in this
/// run, its root cause and the next step; wrapped to `width` when given, never cut.
enum RunSummary {
    static func text(
        _ progress: RunProgress, elapsed: Double, cancelled: Int, causes: [ModFailure], stopped: StopCause? = nil, width: Int? = nil
    ) -> String {
        var lines = FailureLines.wrap(
            "\(headline(stopped, elapsed: elapsed)): \(progress.done) done, \(progress.failed) failed, \(cancelled) cancelled; "
                + "\(progress.requests) request\(progress.requests == 1 ? "" : "s") sent.", width, indent: 2)
        let failedHere = causes.filter { progress.failedMods.contains($0.mod) }
        if !failedHere.isEmpty {
            lines.append("failed in this run:")
            for cause in failedHere { lines += FailureLines.lines(cause, width: width) }
        }
        return lines.joined(separator: "\n")
    }

    /// "finished in …" only for a run that ended because the queue did; a stopped run says so and why.
    private static func headline(_ stopped: StopCause?, elapsed: Double) -> String {
        let took = Clock.duration(elapsed)
        switch stopped {
        case nil: return "finished in \(took)"
        case .requested: return "stopped after \(took) (interrupted; what was not done stays queued)"
        case .missingApiKey, .apiKeyRejected: return "stopped after \(took) (no usable API key; what was not done stays queued)"
        case .databaseFailed: return "stopped after \(took) (the database failed)"
        }
    }
}
