import ModImgQueue
import ModPortal

/// `work --summary-file FILE`: the run as Markdown, appended to FILE (GitHub's
/// `$GITHUB_STEP_SUMMARY` is such a file): the counts, each mod that failed in this run with
/// its root cause and next step, the images uploaded per mod, and the problems that were
/// retried and then got through.
enum MarkdownSummary {
    static func render(
        _ progress: RunProgress, record: RunRecord, cancelled: Int, causes: [ModFailure], headline: String
    ) -> String {
        var lines = ["## modimg-queue: \(escaped(headline))", ""]
        lines.append("| done | failed | cancelled | requests |")
        lines.append("| ---: | ---: | ---: | ---: |")
        lines.append("| \(progress.done) | \(progress.failed) | \(cancelled) | \(progress.requests) |")
        let failedHere = causes.filter { progress.failedMods.contains($0.mod) }
        if !failedHere.isEmpty {
            lines += ["", "### Failed"]
            for cause in failedHere {
                let jobs = "\(cause.failedJobs) job\(cause.failedJobs == 1 ? "" : "s")"
                lines.append("- **\(escaped(cause.mod))** (\(jobs)): \(escaped(cause.failure.description))")
                lines.append("  - next: \(escaped(cause.nextStep.text))")
            }
        }
        if !record.uploads.isEmpty {
            lines += ["", "### Uploaded"]
            for (mod, uploads) in record.uploads.sorted(by: { $0.key < $1.key }) {
                lines.append("- **\(escaped(mod))**: \(uploads.count) image\(uploads.count == 1 ? "" : "s")")
                for upload in uploads {
                    lines.append("  - \(escaped(upload.file)) → `\(upload.imageID)`")
                }
            }
        }
        if !record.recoveries.isEmpty {
            lines += ["", "### Retried, then done"]
            for recovery in record.recoveries {
                let times = recovery.retries == 1 ? "once" : "\(recovery.retries) times"
                lines.append(
                    "- **\(escaped(recovery.mod))**, job \(recovery.job): retried \(times) after \(escaped(recovery.failure.description))")
            }
        }
        return lines.joined(separator: "\n") + "\n\n"
    }

    /// A run that found no open job: every gallery already had what was queued.
    static let nothingToDo = "## modimg-queue: nothing to do\n\nNo job was queued or waiting: nothing was uploaded.\n\n"

    /// Text made safe for a terminal-free Markdown page: no control characters, and none of
    /// Markdown's or HTML's special characters taking effect.
    static func escaped(_ text: String) -> String {
        var out = ""
        for character in PortalText.sanitized(text, limit: 2000) {
            switch character {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\\", "`", "*", "_", "[", "]", "|", "#", "~", "!": out += "\\\(character)"
            default: out.append(character)
            }
        }
        return out
    }
}
