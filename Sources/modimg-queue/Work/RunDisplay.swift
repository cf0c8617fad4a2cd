import Foundation
import ModImgQueue

/// Renders a run's events: short lines on stderr (coloured on a colour terminal) above one
/// progress line redrawn in place on a terminal, or plain lines and a summary every minute
/// otherwise; the same plain lines to `--log-file`; JSON Lines on stdout with `--events json`.
actor RunDisplay {
    struct Options {
        var level: RunLine.Level = .info
        var terminal = TerminalInfo(isTerminal: false, width: 80, colors: false)
        /// Whether to keep a redrawn progress line (a terminal, and not `--no-progress`).
        var progressLine = false
        var json = false
        var logFile: FileHandle?
        var rate: Rate = .default
        var summaryInterval: Double = 60
        /// The longest wait for the database so far (seconds), reported in the JSON `finished` event.
        var databaseWait: @Sendable () -> Double = { 0 }
    }

    private let options: Options
    private(set) var progress: RunProgress
    private var statusShown = false
    private var lastSummaryAt: Double
    /// Jobs other workers hold, as last looked up while nothing here could run.
    private var heldElsewhere: [HeldJob] = []
    private var eta = SmoothedETA()

    init(options: Options, progress: RunProgress) {
        self.options = options
        self.progress = progress
        self.lastSummaryAt = progress.startedAt
    }

    func handle(_ event: WorkerEvent, now: Double) {
        progress.apply(event, at: now)
        if options.json, let line = EventJSON.line(for: event, at: now, databaseWait: options.databaseWait()) {
            write(line + "\n", to: .standardOutput)
        }
        if let line = RunLines.line(for: event, now: now) { emit(line, now: now) }
        if options.progressLine { redraw(now: now) }
    }

    /// Once a second: the progress line's countdowns, or the minute summary when there is none.
    func tick(now: Double) {
        if options.progressLine {
            redraw(now: now)
        } else if now - lastSummaryAt >= options.summaryInterval, !progress.finished {
            lastSummaryAt = now
            emit(RunLine(level: .info, tone: .plain, text: ProgressLine.summary(progress, now: now, rate: options.rate, eta: shownETA(now: now))), now: now)
        }
    }

    /// Whether it is worth looking up who holds the open jobs: nothing runs here, and the
    /// worker said every open job is backing off or held.
    var needsHolders: Bool {
        progress.inFlight.isEmpty && progress.waiting?.reason == .nothingRunnable
    }

    func noteHeld(_ held: [HeldJob], now: Double) {
        heldElsewhere = held
        if options.progressLine { redraw(now: now) }
    }

    /// A line of the command's own (the start line, say), at `level`.
    func note(_ text: String, level: RunLine.Level = .info, now: Double) {
        emit(RunLine(level: level, tone: .plain, text: text), now: now)
    }

    /// Clears the progress line, so what follows starts on a clean line.
    func finish() {
        if statusShown { write("\r\u{1B}[K", to: .standardError) }
        statusShown = false
    }

    /// Writes `text` to the log file (the end-of-run summary), every line whole and stamped with
    /// `now` like the lines before it.
    func log(_ text: String, now: Double) {
        let stamp = Timestamps.format(now)
        options.logFile?.write(Data(text.split(separator: "\n", omittingEmptySubsequences: false).map { "\(stamp) \($0)\n" }.joined().utf8))
    }

    private func emit(_ line: RunLine, now: Double) {
        guard line.level >= options.level else { return }
        let plain = "\(Clock.timeOfDay(now)) \(line.text)"
        options.logFile?.write(Data((Timestamps.format(now) + " " + line.text + "\n").utf8))
        var shown = plain
        if options.terminal.colors, let color = Self.color(line.tone) { shown = color + plain + "\u{1B}[0m" }
        if statusShown {
            write("\r\u{1B}[K", to: .standardError)
            statusShown = false
        }
        write(shown + "\n", to: .standardError)
    }

    private func redraw(now: Double) {
        guard !progress.finished else { return }
        let text = TextFit.truncated(
            ProgressLine.text(
                progress, now: now, rate: options.rate, eta: shownETA(now: now), heldElsewhere: needsHolders ? heldElsewhere : []),
            to: max(10, options.terminal.width - 1))
        write("\r\u{1B}[K" + text, to: .standardError)
        statusShown = true
    }

    /// The run's ETA at `now`, smoothed over the estimates of every redraw and summary.
    private func shownETA(now: Double) -> Double? {
        eta.update(RunETA.of(progress, now: now, rate: options.rate), now: now)
    }

    private static func color(_ tone: RunLine.Tone) -> String? {
        switch tone {
        case .plain: nil
        case .good: "\u{1B}[32m"
        case .bad: "\u{1B}[31m"
        case .notice: "\u{1B}[33m"
        }
    }

    private func write(_ text: String, to handle: FileHandle) {
        handle.write(Data(text.utf8))
    }
}
