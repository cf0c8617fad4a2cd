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
            The portal is --portal-url, else $MODIMG_PORTAL_URL, else https://mods.factorio.com. The API key is \
            read from --api-key-file (which must not be readable by others), else $MOD_EDIT_API_KEY.
            Exit status: 0 when every job ended done or cancelled, 1 when some failed, 2 when stopped for a \
            missing or invalid key, 130 when interrupted.
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
            "Requests to the portal allowed, e.g. 2/s, 90/min or 500/h, shared by every worker on this database.",
            valueName: "rate"))
    var rate: Rate = .default

    @Option(name: .long, help: ArgumentHelp("Jobs run at once (of different mods).", valueName: "n"))
    var concurrency: Int = 1

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
        help: ArgumentHelp("First retry delay; it doubles per attempt, up to 10 minutes.", valueName: "seconds"))
    var retryBase = Seconds(RetryPolicy.default.baseDelay)

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

    @Flag(name: .shortAndLong, help: "Log every step.")
    var verbose = false

    @Flag(name: .shortAndLong, help: "Log only warnings and errors.")
    var quiet = false

    func validate() throws {
        guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency must be between 1 and 64.") }
        guard (1...86_400).contains(lease.value) else { throw ValidationError("--lease must be between 1 second and 1 day.") }
        guard timeout.value > 0, timeout.value <= 86_400 else {
            throw ValidationError("--timeout must be a positive number of seconds, at most a day.")
        }
        guard retryBase.value > 0, retryBase.value <= 86_400 else {
            throw ValidationError("--retry-base must be a positive number of seconds, at most a day.")
        }
        guard listingLag.value <= 600 else { throw ValidationError("--listing-lag must be at most 600 seconds.") }
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
            let queue = try database.openExisting()
            CrashPoint.installCommitKill(database: queue, environment: environment)
            var timeouts = HTTPPortalClient.Timeouts()
            timeouts.request = timeout.value
            timeouts.uploadBase = max(timeout.value, 1)
            let portal = HTTPPortalClient(baseURL: portalURL, apiKey: apiKey, timeouts: timeouts)
            var configuration = WorkerConfiguration()
            configuration.retryPolicy = RetryPolicy(
                baseDelay: retryBase.value, maxDelay: RetryPolicy.default.maxDelay, maxAttempts: maxAttempts)
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
            let log = Task { await WorkLog(logger: Logger(label: "modimg-queue.worker")).render(worker.events) }
            let service = WorkerService(worker: worker)
            let group = ServiceGroup(
                configuration: .init(
                    services: [.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup)],
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: Logger(label: "modimg-queue.lifecycle", factory: { _ in SwiftLogNoOpLogHandler() })))
            do {
                try await group.run()
            } catch {
                await portal.shutdown()
                throw error
            }
            await log.value
            await portal.shutdown()
            return service.report
        }
        print("done \(report.done), failed \(report.failed), retries scheduled \(report.retriesScheduled)")
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
}
