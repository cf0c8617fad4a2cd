import ModImgQueue

/// A failed mod as the end-of-run summary and `status --failed` show it: its root cause, then
/// the next step, whole (a terminal wraps what is wider than it).
enum FailureLines {
    static func lines(_ cause: ModFailure) -> [String] {
        let count = "\(cause.failedJobs) job\(cause.failedJobs == 1 ? "" : "s")"
        return ["  \(cause.mod) (\(count) failed; job \(cause.job)): \(cause.failure.description)", "    next: \(cause.nextStep)"]
    }
}
