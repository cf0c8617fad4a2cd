import ArgumentParser
import Dispatch
import Foundation
import Logging
import ModImgQueue
import ModPortal

struct WorkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "work",
        abstract: "Work the queue against the portal under a rate limit, retrying transient failures.",
        discussion: """
            The portal is --portal-url, else $MODIMG_PORTAL_URL, else https://mods.factorio.com. The API key is \
            read from --api-key-file (which must not be readable by others), else $MOD_EDIT_API_KEY.
            Exit status: 0 when every job ended done or cancelled, 1 when some failed, 2 when stopped for a \
            missing or invalid key, 130 when interrupted.
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: ArgumentHelp("The portal's base URL.", valueName: "url"))
    var portalURL: String?

    @Option(name: .long, help: ArgumentHelp("A file holding the API key on its first line (mode 600).", valueName: "path"))
    var apiKeyFile: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Requests to the portal allowed, e.g. 2/s or 90/min, shared by every worker on this database.",
            valueName: "rate"))
    var rate: String = Rate.default.description

    @Option(name: .long, help: "Jobs run at once (of different mods).")
    var concurrency: Int = 1

    @Option(name: .long, help: ArgumentHelp("Seconds a claimed job stays leased without a heartbeat.", valueName: "seconds"))
    var lease: Double = 120

    @Option(name: .long, help: ArgumentHelp("Seconds to wait for an answer (an upload gets one more second per 256 KiB).", valueName: "seconds"))
    var timeout: Double = 60

    @Option(name: .long, help: ArgumentHelp("First retry delay in seconds; it doubles per attempt, up to 10 minutes.", valueName: "seconds"))
    var retryBase: Double = RetryPolicy.default.baseDelay

    @Option(name: .long, help: "Attempts before a transiently failing job is marked failed.")
    var maxAttempts: Int = RetryPolicy.default.maxAttempts

    @Flag(name: .long, help: "Keep waiting for new jobs instead of exiting when the queue is finished.")
    var follow = false

    @Flag(name: .shortAndLong, help: "Log every step.")
    var verbose = false

    @Flag(name: .shortAndLong, help: "Log only warnings and errors.")
    var quiet = false

    func validate() throws {
        guard Rate(parsing: rate) != nil else {
            throw ValidationError("--rate \"\(rate)\" is not a rate; write it as N/s, N/min or N/h, e.g. 2/s.")
        }
        guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency must be between 1 and 64.") }
        guard lease >= 1 else { throw ValidationError("--lease must be at least 1 second.") }
        guard timeout > 0 else { throw ValidationError("--timeout must be a positive number of seconds.") }
        guard retryBase > 0 else { throw ValidationError("--retry-base must be a positive number of seconds.") }
        guard (1...1000).contains(maxAttempts) else { throw ValidationError("--max-attempts must be between 1 and 1000.") }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let level: Logger.Level = verbose ? .debug : (quiet ? .warning : .info)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let report = try await Terminal.reportingErrors(database: database) { () async throws -> WorkerReport in
            let apiKey: APIKey
            do {
                apiKey = try WorkerSetup.apiKey(file: apiKeyFile, environment: environment)
            } catch let error as WorkerSetup.SetupError where error == .noApiKey {
                Terminal.error(error.description)
                throw ExitCode(2)
            }
            let portalURL = try WorkerSetup.portalURL(option: portalURL, environment: environment)
            let store = try database.openStore()
            CrashPoint.installCommitKill(store: store, environment: environment)
            var timeouts = HTTPPortalClient.Timeouts()
            timeouts.request = timeout
            timeouts.uploadBase = max(timeout, 1)
            let portal = HTTPPortalClient(baseURL: portalURL, apiKey: apiKey, timeouts: timeouts)
            var configuration = WorkerConfiguration(owner: WorkerConfiguration.uniqueOwner())
            configuration.retryPolicy = RetryPolicy(
                baseDelay: retryBase, maxDelay: RetryPolicy.default.maxDelay, maxAttempts: maxAttempts)
            configuration.concurrency = concurrency
            configuration.follow = follow
            configuration.leaseSeconds = lease
            let worker = Worker(
                store: store, portal: portal,
                budget: SQLiteRequestBudget(store: store, limit: CellRateLimit(rate: Rate(parsing: rate) ?? .default)),
                clock: SystemClock(), configuration: configuration,
                checkpoint: CrashPoint.fromEnvironment(environment))
            let signals = SignalHandling.install { worker.stop() }
            defer { signals.forEach { $0.cancel() } }
            let report: WorkerReport
            do {
                report = try await worker.run()
            } catch {
                await portal.shutdown()
                throw error
            }
            await portal.shutdown()
            return report
        }
        print("done \(report.done), failed \(report.failed), retries scheduled \(report.retriesScheduled)")
        switch report.stopReason {
        case .apiKeyRejected(let message):
            Terminal.error(message + (message.hasSuffix(".") ? "" : "."))
            throw ExitCode(2)
        case .requested:
            Terminal.error("stopped on request; unfinished jobs stay queued and resume with the next `work`.")
            throw ExitCode(130)
        case .none:
            if report.failed > 0 { throw ExitCode(1) }
        }
    }
}

/// SIGINT/SIGTERM ask the worker to stop cleanly; a second one ends the process at once.
enum SignalHandling {
    static func install(onFirst: @escaping @Sendable () -> Void) -> [any DispatchSourceSignal] {
        let received = ReceivedCount()
        return [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if received.increment() == 1 { onFirst() } else { exit(130) }
            }
            source.resume()
            return source
        }
    }

    private final class ReceivedCount: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func increment() -> Int {
            lock.lock()
            defer { lock.unlock() }
            count += 1
            return count
        }
    }
}

/// `MODIMG_QUEUE_CRASH_AT=after-add-commit` makes the process SIGKILL itself at that point:
/// the hook the crash tests use to prove a job resumes without a second `add`.
/// `MODIMG_QUEUE_CHAOS_COMMIT_KILL=P` makes each database commit SIGKILL the process with
/// probability P, before the commit is durable (used by `make chaos`).
enum CrashPoint {
    static func installCommitKill(store: SQLiteJobStore, environment: [String: String]) {
        guard let text = environment["MODIMG_QUEUE_CHAOS_COMMIT_KILL"], let probability = Double(text), probability > 0
        else { return }
        store.setCommitHook {
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
