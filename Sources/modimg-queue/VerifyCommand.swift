import ArgumentParser
import Foundation
import ModImgQueue
import ModPortal

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Compare each mod's live gallery with what this queue uploaded and last reordered.",
        discussion: """
            Reads each mod's public listing (no key needed; each read is charged to the request budget shared \
            with `work`) and reports, per mod: in sync; images on the portal unknown to the history; images in \
            the history gone from the portal (with the file each was uploaded from, where the history knows it); \
            an order that differs from the mod's last done reorder; and the command that brings the gallery back. \
            The history is every image uploaded (kept by `prune`) and the ids the newest done reorder still in \
            the queue named. A listing that fails for a passing reason (429, 5xx, a dropped connection, the \
            portal's InternalError) is read again with the worker's backoff (--retry-base, --retry-max, \
            --max-attempts), honouring Retry-After; a mod whose listing stays unreadable is reported as such and \
            the other mods are still checked.

            Exit status, the worst over the mods: 0 every mod is in sync; 1 some mod drifted; 2 it could not tell \
            for some mod (the portal does not know it, or its listing stayed unreadable), or not at all (a portal \
            that cannot be reached, no queue).
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: ArgumentHelp("The portal's base URL.", valueName: "url"))
    var portalURL: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Requests to the portal allowed, e.g. 2/s, 90/min or 500/h, shared with every worker on this database (default: the config file's rate, else 30/min).",
            valueName: "rate"))
    var rate: Rate?

    @Option(name: .long, help: ArgumentHelp("How long one listing read, body included, may take.", valueName: "seconds"))
    var timeout = Seconds(60)

    @Option(
        name: .long,
        help: ArgumentHelp(
            "How far the portal's public listing may lag behind its writes: a gallery that differs is read once more after this long before it counts as drifted.",
            valueName: "seconds"))
    var listingLag = Seconds(5)

    @Option(
        name: .long,
        help: ArgumentHelp("First delay before a failed listing is read again; it doubles per try, up to --retry-max.", valueName: "seconds"))
    var retryBase = Seconds(RetryPolicy.verify.baseDelay)

    @Option(name: .long, help: ArgumentHelp("Longest delay between two reads of one listing (a minute by default).", valueName: "seconds"))
    var retryMax = Seconds(RetryPolicy.verify.maxDelay)

    @Option(name: .long, help: ArgumentHelp("Reads of one listing before it is reported unreadable.", valueName: "n"))
    var maxAttempts: Int = RetryPolicy.verify.maxAttempts

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    @Argument(help: "The mods to verify (default: every mod in this queue's history).", completion: .modNames)
    var mods: [String] = []

    func validate() throws {
        guard timeout.value > 0, timeout.value <= 86_400 else {
            throw ValidationError("--timeout must be a positive number of seconds, at most a day.")
        }
        guard retryBase.value > 0, retryBase.value <= 86_400 else {
            throw ValidationError("--retry-base must be a positive number of seconds, at most a day.")
        }
        guard retryMax.value > 0, retryMax.value <= 86_400 else {
            throw ValidationError("--retry-max must be a positive number of seconds, at most a day.")
        }
        guard (1...1000).contains(maxAttempts) else { throw ValidationError("--max-attempts must be between 1 and 1000.") }
    }

    func run() async throws {
        let results: [ModVerification]
        do {
            results = try await verify()
        } catch let error as ExitCode {
            throw error
        } catch {
            Terminal.error(QueueError.sentence(for: error, databasePath: database.path))
            throw ExitCode(2)
        }
        let rendering = VerifyRendering(databaseOption: database.db)
        if json {
            try Terminal.printJSON(VerifyJSON(mods: results.map { ModDriftJSON($0, fix: rendering.fix(for: $0)) }))
        } else if results.isEmpty {
            print("nothing to verify: this queue has no uploads or done reorders yet.")
        } else {
            print(rendering.render(results))
        }
        for sentence in VerifyRendering.cannotTell(results) { Terminal.error(sentence) }
        let worst = results.map(\.exitStatus).max() ?? 0
        if worst != 0 { throw ExitCode(worst) }
    }

    private func verify() async throws -> [ModVerification] {
        let config = LoadedConfig.current
        let url = try WorkerSetup.portalURL(
            option: portalURL, environment: ProcessInfo.processInfo.environment, configured: config.portalURL)
        let queue = try database.openExisting()
        var timeouts = HTTPPortalClient.Timeouts()
        timeouts.request = timeout.value
        let portal = HTTPPortalClient(baseURL: url, apiKey: nil, timeouts: timeouts, retryingConnections: false)
        let verifier = GalleryVerifier(
            database: queue, portal: portal, portalURL: url.absoluteString, rate: rate ?? config.rate ?? .default,
            policy: RetryPolicy(baseDelay: retryBase.value, maxDelay: retryMax.value, maxAttempts: maxAttempts),
            listingLagSeconds: listingLag.value)
        do {
            let mods = self.mods.isEmpty ? try await verifier.modsInHistory() : self.mods
            let progress = ListingProgress(count: mods.count, url: url)
            if !mods.isEmpty { progress.start() }
            defer { if !mods.isEmpty { progress.finish() } }
            let results = try await verifier.verify(
                mods: mods, progress: progress.update,
                waiting: { seconds in
                    Terminal.error("waiting \(seconds.wholeClamped()) s for the request budget (--rate) before the next listing read.")
                },
                retrying: { retry in Terminal.error(VerifyRendering.retrying(retry, of: maxAttempts)) })
            await portal.shutdown()
            return results
        } catch {
            await portal.shutdown()
            throw error
        }
    }
}
