import ModImgQueue
import ModPortal

/// Under GitHub Actions (`GITHUB_ACTIONS=true`), `work` ends with workflow commands that put
/// its problems on the run's page: `::error` for each mod that failed in this run (its root
/// cause and next step), `::warning` for each job that failed for a passing reason and then
/// got through.
enum GitHubAnnotations {
    static func isActive(_ environment: [String: String]) -> Bool { environment["GITHUB_ACTIONS"] == "true" }

    static func lines(_ progress: RunProgress, record: RunRecord, causes: [ModFailure]) -> [String] {
        var lines: [String] = []
        for cause in causes where progress.failedMods.contains(cause.mod) {
            let jobs = "\(cause.failedJobs) job\(cause.failedJobs == 1 ? "" : "s")"
            lines.append(
                "::error title=\(property("modimg-queue: \(cause.mod) failed"))::"
                    + data("\(cause.mod) (\(jobs)): \(cause.failure.description)\nnext: \(cause.nextStep)"))
        }
        for recovery in record.recoveries {
            let times = recovery.retries == 1 ? "once" : "\(recovery.retries) times"
            lines.append(
                "::warning title=\(property("modimg-queue: \(recovery.mod) recovered"))::"
                    + data("job \(recovery.job) of \(recovery.mod) was retried \(times) after \(recovery.failure.description), then done"))
        }
        return lines
    }

    /// A command's message, escaped as GitHub requires: `%`, CR and LF.
    static func data(_ text: String) -> String {
        var out = ""
        for scalar in safe(text).unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A command's property (`title=`): as a message, and `:` and `,` too.
    static func property(_ text: String) -> String {
        data(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }

    /// Each line made safe for a terminal (portal text may hold escape sequences), the line breaks kept.
    private static func safe(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { PortalText.sanitized(String($0), limit: 2000) }
            .joined(separator: "\n")
    }
}
