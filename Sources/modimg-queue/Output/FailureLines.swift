import ModImgQueue

/// A failed mod as the end-of-run summary and `status --failed` show it: its root cause, then
/// the next step; wrapped to `width` when given (continuations indented under their start),
/// never cut.
enum FailureLines {
    static func lines(_ cause: ModFailure, width: Int?) -> [String] {
        let count = "\(cause.failedJobs) job\(cause.failedJobs == 1 ? "" : "s")"
        return wrap("  \(cause.mod) (\(count)): \(cause.failure.description)", width, indent: 4)
            + wrap("    next: \(cause.nextStep)", width, indent: 10)
    }

    /// Nothing a person acts on is cut: on a terminal a long line wraps at spaces, its
    /// continuation indented under its start.
    static func wrap(_ line: String, _ width: Int?, indent: Int) -> [String] {
        width.map { TextWrapping.lines(line, width: $0, indent: indent) } ?? [line]
    }
}
