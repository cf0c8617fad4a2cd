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
            the history gone from the portal; an order that differs from the mod's last done reorder. The history \
            is every image uploaded (kept by `prune`) and the ids the newest done reorder still in the queue named. \
            Exit status: 0 when every mod is in sync, 1 when any drifted, 2 when it could not tell (a mod the \
            portal does not know, a portal that cannot be reached, no queue).
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

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    @Argument(help: "The mods to verify (default: every mod in this queue's history).", completion: .modNames)
    var mods: [String] = []

    func validate() throws {
        guard timeout.value > 0, timeout.value <= 86_400 else {
            throw ValidationError("--timeout must be a positive number of seconds, at most a day.")
        }
    }

    func run() async throws {
        let drifts: [GalleryDrift]
        do {
            drifts = try await verify()
        } catch let error as ExitCode {
            throw error
        } catch {
            Terminal.error(QueueError.sentence(for: error, databasePath: database.path))
            throw ExitCode(2)
        }
        if json {
            try Terminal.printJSON(VerifyJSON(mods: drifts.map(ModDriftJSON.init)))
        } else if drifts.isEmpty {
            print("nothing to verify: this queue has no uploads or done reorders yet.")
        } else {
            print(VerifyRendering.render(drifts))
        }
        if drifts.contains(where: { !$0.inSync }) { throw ExitCode(1) }
    }

    private func verify() async throws -> [GalleryDrift] {
        let config = LoadedConfig.current
        let url = try WorkerSetup.portalURL(
            option: portalURL, environment: ProcessInfo.processInfo.environment, configured: config.portalURL)
        let queue = try database.openExisting()
        var timeouts = HTTPPortalClient.Timeouts()
        timeouts.request = timeout.value
        let portal = HTTPPortalClient(baseURL: url, apiKey: nil, timeouts: timeouts, retryingConnections: false)
        let verifier = GalleryVerifier(
            database: queue, portal: portal, portalURL: url.absoluteString, rate: rate ?? config.rate ?? .default, listingLagSeconds: listingLag.value)
        do {
            let mods = self.mods.isEmpty ? try await verifier.modsInHistory() : self.mods
            let progress = ListingProgress(count: mods.count, url: url)
            if !mods.isEmpty { progress.start() }
            defer { if !mods.isEmpty { progress.finish() } }
            let drifts = try await verifier.verify(
                mods: mods, progress: progress.update,
                waiting: { seconds in
                    Terminal.error("waiting \(seconds.wholeClamped()) s for the request budget (--rate) before the next listing read.")
                })
            await portal.shutdown()
            return drifts
        } catch {
            await portal.shutdown()
            throw error
        }
    }
}

/// The drift, mod by mod, as `verify` prints it.
enum VerifyRendering {
    static func render(_ drifts: [GalleryDrift]) -> String {
        var lines: [String] = []
        for drift in drifts {
            guard !drift.inSync else {
                lines.append("\(drift.mod): in sync")
                continue
            }
            lines.append("\(drift.mod): drifted")
            if !drift.unknownToHistory.isEmpty {
                lines.append("  on the portal, unknown to the history: " + drift.unknownToHistory.joined(separator: ", "))
            }
            if !drift.missingOnPortal.isEmpty {
                lines.append("  in the history, gone from the portal: " + drift.missingOnPortal.joined(separator: ", "))
            }
            if !drift.duplicatedOnPortal.isEmpty {
                lines.append("  shown more than once on the portal: " + drift.duplicatedOnPortal.joined(separator: ", "))
            }
            if drift.orderDiffers { lines.append("  the order differs from the last reorder") }
        }
        let drifted = drifts.filter { !$0.inSync }.count
        lines.append(
            drifted == 0
                ? "every mod is in sync (\(drifts.count) checked)."
                : "\(drifted) of \(drifts.count) mod\(drifts.count == 1 ? "" : "s") drifted.")
        return lines.joined(separator: "\n")
    }
}
