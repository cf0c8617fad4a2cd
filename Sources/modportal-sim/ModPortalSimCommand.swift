import ArgumentParser
import Logging
import ServiceLifecycle
import Foundation
import ModImgVersion
import ModPortalSim

/// `modportal-sim`: serves a local simulation of the Factorio mod portal's images API.
@main
struct ModPortalSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "modportal-sim",
        abstract: "Serve a local simulation of the Factorio mod portal's images API.",
        discussion: """
            Prints its base URL (e.g. http://127.0.0.1:41234) as the first and only line of stdout, \
            then serves until SIGINT or SIGTERM. Logs go to stderr (level from MODPORTAL_SIM_LOG_LEVEL).
            """,
        version: ModImgVersion.current
    )

    @Option(help: "Address to bind.")
    var host = "127.0.0.1"

    @Option(help: "Port to bind (0 = any free port).")
    var port = 0

    @Option(help: ArgumentHelp("API key accepted by add and edit (default: $MODPORTAL_SIM_API_KEY, else sim-api-key).", valueName: "key"))
    var apiKey: String?

    @Option(help: ArgumentHelp("Delay added before answering every request.", valueName: "ms"))
    var latency = 0

    @Option(help: ArgumentHelp("Share of API requests answered with a transient 500 (0...1).", valueName: "p"))
    var failRate = 0.0

    @Option(help: ArgumentHelp("API requests allowed per second, e.g. 20/s; beyond it, 429.", valueName: "n/s"))
    var rateLimit: String?

    @Option(help: ArgumentHelp("Comma-separated mods that exist (default: every mod exists).", valueName: "a,b,c"))
    var mods: String?

    @Option(help: ArgumentHelp("Comma-separated mods the key may not change (403).", valueName: "x,y"))
    var forbiddenMods: String?

    @Option(help: ArgumentHelp("Seconds an upload URL stays valid (default: until used).", valueName: "seconds"))
    var uploadUrlTtl: Double?

    @Option(
        name: .customLong("fault"),
        help: ArgumentHelp(
            "Inject a fault into API requests with probability p (0...1); repeatable. Modes: \(SimOptionParsing.faultModeNames).",
            valueName: "mode=p"))
    var faults: [String] = []

    @Option(help: ArgumentHelp("How long the slow fault holds an answer back.", valueName: "ms"))
    var slowMs = FaultPlan().slowMilliseconds

    @Option(help: ArgumentHelp("API requests after the one starting a burst-429 that also get 429.", valueName: "n"))
    var burstLength = FaultPlan().burstLength

    @Option(help: ArgumentHelp("Comma-separated calls that may draw a fault (default: all).", valueName: "add,upload,edit,full"))
    var faultCalls: String?

    @Option(help: ArgumentHelp("Seed of the random generators behind --fault, --fail-rate and upload URLs.", valueName: "n"))
    var seed: UInt64 = 0

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Send this Retry-After text, as it is, on every 429 and 503 (e.g. inf, 1e300, -5).", valueName: "text"))
    var retryAfter: String?

    @Option(help: ArgumentHelp("Make the /full listing lag this many seconds behind uploads and edits (at most 86400).", valueName: "seconds"))
    var listingLag = 0.0

    @Option(help: ArgumentHelp("Make the /full listing show a mod's gallery as it was before each write for this many reads after it.", valueName: "reads"))
    var listingLagReads = 0

    @Flag(help: "Answer an upload of an image already in the gallery with an 'already exists' error, storing nothing.")
    var alreadyExists = false

    @Flag(help: "Answer image ids in upper case.")
    var upperCaseIds = false

    @Flag(help: "Put terminal escape sequences and line breaks in error messages.")
    var escapeMessages = false

    @Flag(help: "Answer every add with a 400 that quotes the Authorization header it got, key included.")
    var echoKey = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        guard latency >= 0 else { throw ValidationError("--latency must be 0 or more milliseconds.") }
        guard failRate.isFinite, (0.0...1.0).contains(failRate) else {
            throw ValidationError("--fail-rate must be a number between 0 and 1, got \(failRate).")
        }
        if let rateLimit, SimOptionParsing.ratePerSecond(rateLimit) == nil {
            throw ValidationError("--rate-limit must look like 20/s (a positive number of requests per second), got '\(rateLimit)'.")
        }
        if let uploadUrlTtl, !(uploadUrlTtl.isFinite && uploadUrlTtl > 0) {
            throw ValidationError("--upload-url-ttl must be a positive number of seconds.")
        }
        if let apiKey, apiKey.isEmpty { throw ValidationError("--api-key must not be empty.") }
        _ = try SimOptionParsing.faultProbabilities(faults)
        guard slowMs >= 0 else { throw ValidationError("--slow-ms must be 0 or more milliseconds.") }
        guard burstLength >= 0 else { throw ValidationError("--burst-length must be 0 or more requests.") }
        if let faultCalls { _ = try SimOptionParsing.calls(faultCalls) }
        guard listingLag.isFinite, (0...86_400).contains(listingLag) else {
            throw ValidationError("--listing-lag must be between 0 and 86400 seconds.")
        }
        guard (0...1_000_000).contains(listingLagReads) else {
            throw ValidationError("--listing-lag-reads must be between 0 and 1000000 reads.")
        }
    }

    var simConfiguration: SimConfiguration {
        var configuration = SimConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.apiKey = apiKey ?? ProcessInfo.processInfo.environment["MODPORTAL_SIM_API_KEY"] ?? "sim-api-key"
        configuration.latencyMilliseconds = latency
        configuration.failRate = failRate
        configuration.rateLimitPerSecond = rateLimit.flatMap(SimOptionParsing.ratePerSecond)
        configuration.knownMods = mods.map(SimOptionParsing.modList)
        configuration.forbiddenMods = forbiddenMods.map(SimOptionParsing.modList) ?? []
        configuration.uploadURLLifetimeSeconds = uploadUrlTtl
        configuration.seed = seed
        // validate() has already refused anything these would throw on.
        configuration.faults = FaultPlan(
            (try? SimOptionParsing.faultProbabilities(faults)) ?? [:],
            slowMilliseconds: slowMs,
            burstLength: burstLength,
            calls: faultCalls.flatMap { try? SimOptionParsing.calls($0) } ?? Set(SimCall.allCases)
        )
        configuration.tricks.retryAfter = retryAfter
        configuration.tricks.listingLagSeconds = listingLag
        configuration.tricks.listingLagReads = listingLagReads
        configuration.tricks.alreadyExists = alreadyExists
        configuration.tricks.upperCaseIDs = upperCaseIds
        configuration.tricks.escapeMessages = escapeMessages
        configuration.tricks.echoAuthorization = echoKey
        return configuration
    }

    func run() async throws {
        let service = SimulatorService(simulator: PortalSimulator(configuration: simConfiguration))
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: Logger(label: "modportal-sim.lifecycle", factory: { _ in SwiftLogNoOpLogHandler() })))
        try await group.run()
    }
}

/// Serves until SIGINT/SIGTERM starts a graceful shutdown, then stops the server cleanly.
struct SimulatorService: Service {
    let simulator: PortalSimulator

    func run() async throws {
        let url = try await simulator.start()
        // Unbuffered write: a reader on a pipe sees the URL at once.
        FileHandle.standardOutput.write(Data((url.absoluteString + "\n").utf8))
        try? await gracefulShutdown()
        await simulator.stop()
    }
}
