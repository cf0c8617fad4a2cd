import ArgumentParser
import Foundation
import Logging
import ModImgQueue
import ModPortal
import ServiceLifecycle

struct WorkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "work",
        abstract: "Work the queue against the portal under a rate limit, retrying transient failures.",
        discussion: """
            The portal is --portal-url, else $MODIMG_PORTAL_URL, else the config file's portal_url, else \
            https://mods.factorio.com. The API key is read from --api-key-file (which must not be readable by \
            others) or printed by --api-key-command, else $MOD_EDIT_API_KEY, else the config file's api_key_file \
            or api_key_command.
            Exit status: 0 when every job ended done or cancelled, 1 when some failed, 2 when there is no usable \
            key (missing, empty, unreadable, readable by others, malformed) or the portal refused it, 130 when \
            interrupted.
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: ArgumentHelp("The portal's base URL.", valueName: "url"))
    var portalURL: String?

    @Option(
        name: .long, help: ArgumentHelp("A file holding the API key on its first line (mode 600).", valueName: "path"),
        completion: .file())
    var apiKeyFile: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A shell command that prints the API key on its first line (run with /bin/sh -c, stopped after 30 s), e.g. 'pass show factorio/mod-key'.",
            valueName: "command"))
    var apiKeyCommand: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Requests to the portal allowed, e.g. 2/s, 90/min or 500/h, shared by every worker on this database (default: the config file's rate, else 30/min).",
            valueName: "rate"))
    var rate: Rate?

    @Option(
        name: .long, help: ArgumentHelp("Jobs run at once (of different mods; default: the config file's concurrency, else 1).", valueName: "n"))
    var concurrency: Int?

    @Option(
        name: .long,
        help: ArgumentHelp("How long a claimed job stays held without a heartbeat (seconds, or 90s, 2m).", valueName: "seconds"))
    var lease = Seconds(120)

    @Option(
        name: .long,
        help: ArgumentHelp(
            "How long a whole answer, body included, may take (an upload gets one more second per 256 KiB).",
            valueName: "seconds"))
    var timeout = Seconds(60)

    @Option(
        name: .long,
        help: ArgumentHelp("First retry delay; it doubles per attempt, up to --retry-max.", valueName: "seconds"))
    var retryBase = Seconds(RetryPolicy.default.baseDelay)

    @Option(name: .long, help: ArgumentHelp("Longest retry delay (10 minutes by default).", valueName: "seconds"))
    var retryMax = Seconds(RetryPolicy.default.maxDelay)

    @Option(
        name: .long,
        help: ArgumentHelp(
            "How far the portal's public listing may lag behind its writes: an image sent before and not listed is looked for once more after this long before it is sent again.",
            valueName: "seconds"))
    var listingLag = Seconds(5)

    @Option(name: .long, help: ArgumentHelp("Attempts before a transiently failing job is marked failed.", valueName: "n"))
    var maxAttempts: Int = RetryPolicy.default.maxAttempts

    @Flag(name: .long, help: "Keep waiting for new jobs instead of exiting when the queue is finished.")
    var follow = false

    @Flag(name: .shortAndLong, help: "Show every step of every job.")
    var verbose = false

    @Flag(name: .shortAndLong, help: "Show only failures and the end-of-run summary.")
    var quiet = false

    @Flag(name: .long, help: "No progress line on a terminal: plain lines, and a summary line every minute.")
    var noProgress = false

    @Option(name: .long, help: ArgumentHelp("Colours: auto (on a terminal, unless NO_COLOR is set), always or never.", valueName: "when"))
    var color: TerminalInfo.ColorChoice = .auto

    @Option(name: .long, help: ArgumentHelp("Also append the plain lines and the summary to this file.", valueName: "path"), completion: .file())
    var logFile: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Also append the run as Markdown to this file when it ends (counts, each failed mod's cause and next step, the images uploaded per mod, the problems retried then done); GitHub's $GITHUB_STEP_SUMMARY is such a file.",
            valueName: "path"), completion: .file())
    var summaryFile: String?

    @Option(name: .long, help: ArgumentHelp("Write every event to stdout as JSON Lines (the summary then goes to stderr).", valueName: "json"))
    var events: EventsFormat?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Run this shell command when the queue is finished (with --follow, each time it drains); it gets MODIMG_DONE, MODIMG_FAILED, MODIMG_FAILED_MODS, MODIMG_REQUESTS, MODIMG_ELAPSED_SECONDS and MODIMG_QUEUE_DB.",
            valueName: "command"))
    var onFinish: String?

    enum EventsFormat: String, ExpressibleByArgument, CaseIterable {
        case json
    }

    func validate() throws {
        guard (1...64).contains(concurrency ?? 1) else { throw ValidationError("--concurrency must be between 1 and 64.") }
        guard (1...86_400).contains(lease.value) else { throw ValidationError("--lease must be between 1 second and 1 day.") }
        guard timeout.value > 0, timeout.value <= 86_400 else {
            throw ValidationError("--timeout must be a positive number of seconds, at most a day.")
        }
        guard retryBase.value > 0, retryBase.value <= 86_400 else {
            throw ValidationError("--retry-base must be a positive number of seconds, at most a day.")
        }
        guard retryMax.value > 0, retryMax.value <= 86_400 else {
            throw ValidationError("--retry-max must be a positive number of seconds, at most a day.")
        }
        guard listingLag.value <= 600 else { throw ValidationError("--listing-lag must be at most 600 seconds.") }
        guard (1...1000).contains(maxAttempts) else { throw ValidationError("--max-attempts must be between 1 and 1000.") }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let config = LoadedConfig.current
        let rate = self.rate ?? config.rate ?? .default
        let concurrency = self.concurrency ?? config.concurrency ?? 1
        let terminal = TerminalInfo.of(color: color, environment: environment)
        let logHandle = try openLogFile()
        let summaryHandle = try openSummaryFile()
        let recorder = RunRecorder()
        let outcome = try await Terminal.reportingErrors(database: database) { () async throws -> (WorkerReport, String)? in
            let apiKey: APIKey
            do {
                apiKey = try WorkerSetup.apiKey(file: apiKeyFile, command: apiKeyCommand, environment: environment, config: config)
            } catch let error as WorkerSetup.SetupError where error.isKeyProblem {
                Terminal.error(error.description)
                throw ExitCode(2)
            }
            let portalURL = try WorkerSetup.portalURL(option: portalURL, environment: environment, configured: config.portalURL)
            let queue = try database.openExisting()
            let queries = QueueQueries(database: queue)
            let startedAt = Date().timeIntervalSince1970
            let planned = try await queries.openWork()
            if planned.jobs == 0 && !follow {
                print("nothing to do in \(database.path): no job is queued or waiting for its upload.")
                summaryHandle?.write(Data(MarkdownSummary.nothingToDo.utf8))
                return nil
            }
            CrashPoint.installCommitKill(database: queue, environment: environment)
            var timeouts = HTTPPortalClient.Timeouts()
            timeouts.request = timeout.value
            timeouts.uploadBase = max(timeout.value, 1)
            let portal = HTTPPortalClient(baseURL: portalURL, apiKey: apiKey, timeouts: timeouts, connectionsPerHost: concurrency)
            var configuration = WorkerConfiguration()
            configuration.retryPolicy = RetryPolicy(
                baseDelay: retryBase.value, maxDelay: retryMax.value, maxAttempts: maxAttempts)
            configuration.concurrency = concurrency
            configuration.follow = follow
            configuration.leaseSeconds = lease.value
            configuration.listingLagSeconds = listingLag.value
            configuration.executor = queue.executor
            let worker = Worker(
                store: SQLiteJobStore(database: queue), portal: portal,
                budget: SQLiteRequestBudget(database: queue, limit: CellRateLimit(rate: rate)),
                clock: SystemClock(), configuration: configuration,
                checkpoint: CrashPoint.fromEnvironment(environment))
            var options = RunDisplay.Options()
            options.level = verbose ? .debug : (quiet ? .warning : .info)
            options.terminal = terminal
            options.progressLine = terminal.isTerminal && !noProgress && !quiet
            options.json = events == .json
            options.logFile = logHandle
            options.rate = rate
            options.databaseWait = { queue.longestCallSeconds }
            let display = RunDisplay(options: options, progress: RunProgress(startedAt: startedAt, planned: planned))
            await display.note(
                "working \(database.path) against \(portalURL.absoluteString) at \(rate): \(planned.jobs) open job\(planned.jobs == 1 ? "" : "s")"
                    + (planned.resumed.map { " (\($0))" } ?? "")
                    + (planned.waitingOnUploads > 0 ? "; \(planned.waitingOnUploads) waiting on uploads" : "")
                    + (follow ? "; then waiting for more (--follow)" : ""),
                now: startedAt)
            let hook = onFinish.map { FinishHook(command: $0, database: database.path) }
            let render = Task {
                for await event in worker.events {
                    let now = Date().timeIntervalSince1970
                    await display.handle(event, now: now)
                    await recorder.apply(event)
                    if event == .idle, let hook, let problem = hook.run(await display.progress, now: now) {
                        await display.note(problem, level: .warning, now: now)
                    }
                }
            }
            let ticker = Task {
                var second = 0
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    let now = Date().timeIntervalSince1970
                    await display.tick(now: now)
                    second += 1
                    // Who holds the jobs this worker waits for, looked up every few seconds while it waits.
                    if options.progressLine, second % 3 == 1, await display.needsHolders,
                        let held = try? await queries.status(now: now).held
                    {
                        await display.noteHeld(held.filter { $0.holder.host != ClaimHolder.current.host || $0.holder.pid != getpid() }, now: now)
                    }
                }
            }
            let service = WorkerService(worker: worker)
            let group = ServiceGroup(
                configuration: .init(
                    services: [.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup)],
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: Logger(label: "modimg-queue.lifecycle", factory: { _ in SwiftLogNoOpLogHandler() })))
            do {
                try await group.run()
            } catch {
                ticker.cancel()
                await display.finish()
                await portal.shutdown()
                throw error
            }
            await render.value
            ticker.cancel()
            await display.finish()
            await portal.shutdown()
            let now = Date().timeIntervalSince1970
            let progress = await display.progress
            let cancelled = (try? await queries.cancelledCount(since: startedAt)) ?? 0
            let causes = (try? await queries.rootCauses(mods: progress.failedMods)) ?? []
            func summary(width: Int?) -> String {
                RunSummary.text(
                    progress, elapsed: now - startedAt, cancelled: cancelled, causes: causes, stopped: service.report.stopCause, width: width)
            }
            let whole = summary(width: nil)
            await display.log(whole, now: now)
            let summaryShown = summary(width: terminal.isTerminal && events == nil ? terminal.width : nil)
            let record = await recorder.record
            if let summaryHandle {
                let headline = whole.prefix { $0 != "\n" }.components(separatedBy: ": ").first ?? ""
                summaryHandle.write(
                    Data(MarkdownSummary.render(progress, record: record, cancelled: cancelled, causes: causes, headline: headline).utf8))
            }
            if GitHubAnnotations.isActive(environment) {
                let lines = GitHubAnnotations.lines(progress, record: record, causes: causes).map { $0 + "\n" }.joined()
                // Workflow commands are read from stdout, unless stdout carries the JSON events.
                (events == .json ? FileHandle.standardError : FileHandle.standardOutput).write(Data(lines.utf8))
            }
            if service.report.stopCause == nil, let hook, let problem = hook.run(progress, now: now) {
                await display.note(problem, level: .warning, now: now)
            }
            return (service.report, summaryShown)
        }
        guard let (report, summary) = outcome else { return }
        if events == .json {
            FileHandle.standardError.write(Data((summary + "\n").utf8))
        } else {
            print(summary)
        }
        switch report.stopCause {
        case .missingApiKey:
            Terminal.error(WorkerSetup.SetupError.noApiKey.description)
            throw ExitCode(2)
        case .apiKeyRejected(let portalMessage):
            Terminal.error(
                "the portal refused the API key (\(portalMessage)); create a key with the ModPortal: Edit Mods usage at https://factorio.com/profile and set MOD_EDIT_API_KEY or pass --api-key-file.")
            throw ExitCode(2)
        case .databaseFailed(let detail):
            Terminal.error("the worker stopped: \(detail)")
            throw ExitCode(1)
        case .requested:
            Terminal.error("stopped on request; unfinished jobs stay queued and resume with the next `work`.")
            throw ExitCode(130)
        case .none:
            if report.failed > 0 { throw ExitCode(1) }
        }
    }

    /// The `--summary-file`, opened for appending (created 0644: a report, not a secret), before anything runs.
    private func openSummaryFile() throws -> FileHandle? {
        guard let summaryFile else { return nil }
        let fd = open(summaryFile, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            Terminal.error(
                "cannot write the summary file \(summaryFile) (\(String(cString: strerror(errno)))); choose another --summary-file path.")
            throw ExitCode(1)
        }
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    /// The `--log-file`, opened for appending (created 0600), before anything runs.
    private func openLogFile() throws -> FileHandle? {
        guard let logFile else { return nil }
        let fd = open(logFile, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            Terminal.error("cannot write the log file \(logFile) (\(String(cString: strerror(errno)))); choose another --log-file path.")
            throw ExitCode(1)
        }
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }
}
