import ArgumentParser
import Foundation
import ModImgQueue
import ModPortal

struct EnqueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enqueue",
        abstract: "Plan and queue the work that makes each mod's gallery match a folder or manifest.",
        discussion: """
            PATH is a folder with one subfolder per mod (PATH/<mod>/*.png|jpg|jpeg|gif, file-name order is gallery \
            order), or a manifest (.toml or .json, see the README). For each mod: one upload job per image not \
            already in its gallery, then one reorder job, after those uploads, that sets the final order. The \
            galleries are read from the portal's public listing (no key needed); with --offline, this database's \
            history stands in for them. Running it twice queues nothing twice. Mods the portal does not know, \
            folders not named as mods, and a portal that cannot be reached (say --offline to plan without it) are \
            refused before anything is queued. A mod whose listing cannot be read (after a few tries) gets \
            nothing queued, the others are queued as usual, and the command exits 1 naming it.
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: ArgumentHelp("The portal's base URL, for reading galleries.", valueName: "url"))
    var portalURL: String?

    @Option(name: .long, help: ArgumentHelp("How long one listing read, body included, may take.", valueName: "seconds"))
    var timeout = Seconds(60)

    @Option(name: .long, parsing: .unconditional, help: ByteSize.maxSizeHelp, transform: ByteSize.parse)
    var maxSize = ByteSize.imageLimit

    @Flag(name: .long, help: "Print the plan and queue nothing.")
    var dryRun = false

    @Flag(name: .long, help: "Do not read the galleries from the portal; rely on this database's history.")
    var offline = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "With --dry-run, also write the plan as one page of thumbnails (opens offline).", valueName: "file"),
        completion: .file(extensions: ["html"]))
    var html: String?

    @Argument(help: "A folder of per-mod folders, or a .toml/.json manifest.", completion: .file())
    var path: String

    func validate() throws {
        guard timeout.value > 0, timeout.value <= 86_400 else {
            throw ValidationError("--timeout must be a positive number of seconds, at most a day.")
        }
        if html != nil && !dryRun {
            throw ValidationError("--html writes the plan of a dry run; add --dry-run (then run enqueue again without both to queue it).")
        }
    }

    func run() async throws {
        try await Terminal.reportingErrors(database: database) {
            if let html { try PlanPage.checkDestination(html) }
            var specs = try GallerySpecLoader.load(path: path)
            var galleries: [String: [String]] = [:]
            // A mod whose gallery cannot be read is not planned from the history, which may not know it.
            var notPlanned: GalleryListingError?
            if !offline {
                let listings = try await readGalleries(of: specs.map(\.mod))
                galleries = listings.galleries
                let split = listings.readable(specs)
                specs = split.readable
                if !split.unreadable.isEmpty {
                    notPlanned = .notPlannedUnreadable(mods: split.unreadable, reasons: listings.unreadableReasons)
                }
            }
            if specs.isEmpty, let notPlanned { throw notPlanned }
            // Opened (and created) only once the mods are known to exist: a refused plan leaves no queue behind;
            // a dry run on a path with no queue yet plans against an empty one, created elsewhere and removed.
            let (queue, scratch) = dryRun ? try database.openForDryRun() : (try database.open(), nil)
            defer { if let scratch { try? FileManager.default.removeItem(atPath: scratch) } }
            let planner = EnqueuePlanner(database: queue)
            guard !dryRun else {
                let plan = try await planner.plan(specs, galleries: galleries, maxBytes: maxSize.bytes)
                print(PlanRendering.render(plan, dryRun: true))
                if let html {
                    let thumbnails = try await QueueQueries(database: queue).thumbnails(mods: plan.mods.map(\.mod))
                    try PlanPage.write(PlanPage.html(plan, thumbnails: thumbnails, offline: offline), to: html)
                    print("plan page: \(URL(fileURLWithPath: html).absoluteString)")
                }
                if let notPlanned { throw notPlanned }
                return
            }
            // Planned and queued in one write transaction, against the queue as it is then.
            let (plan, outcome) = try await planner.enqueue(specs, galleries: galleries, maxBytes: maxSize.bytes)
            print(PlanRendering.render(plan, dryRun: false))
            if outcome.uploadJobs.isEmpty && outcome.reorderJobs.isEmpty {
                print("nothing new to queue: every gallery is done or already queued.")
            } else {
                print("queued \(outcome.uploadJobs.count) upload job\(outcome.uploadJobs.count == 1 ? "" : "s") and \(outcome.reorderJobs.count) reorder job\(outcome.reorderJobs.count == 1 ? "" : "s"); `modimg-queue work` will send \(plan.requestCount) requests to the portal for them.")
            }
            if let notPlanned { throw notPlanned }
        }
    }

    /// The mods' galleries from the portal's listing; refuses mods the portal does not know, and
    /// a portal that cannot be reached at all.
    private func readGalleries(of mods: [String]) async throws -> GalleryListings {
        let url = try WorkerSetup.portalURL(
            option: portalURL, environment: ProcessInfo.processInfo.environment, configured: LoadedConfig.current.portalURL)
        var timeouts = HTTPPortalClient.Timeouts()
        timeouts.request = timeout.value
        let portal = HTTPPortalClient(baseURL: url, apiKey: nil, timeouts: timeouts, retryingConnections: false)
        let progress = ListingProgress(count: mods.count, url: url)
        progress.start()
        let listings: GalleryListings
        do {
            listings = try await GalleryReader.read(
                mods: mods, portal: portal, portalURL: url.absoluteString, progress: progress.update)
        } catch {
            progress.finish()
            await portal.shutdown()
            throw error
        }
        progress.finish()
        await portal.shutdown()
        guard listings.unknownMods.isEmpty else { throw GalleryListingError.unknownMods(listings.unknownMods) }
        return listings
    }
}

/// The plan, mod by mod, as `enqueue` prints it.
enum PlanRendering {
    static func render(_ plan: EnqueuePlan, dryRun: Bool) -> String {
        var lines: [String] = []
        for mod in plan.mods {
            lines.append("\(mod.mod):")
            lines.append("  to upload (\(mod.toUpload.count)): " + list(mod.toUpload.map { name($0.path) }))
            let there = mod.alreadyThere.map { "\(name($0.file.path)) (\($0.source))" }
                + mod.alreadyQueued.map { "\(name($0.file.path)) (queued as job \($0.job))" }
            lines.append("  already there (\(there.count)): " + list(there))
            switch mod.reorder {
            case .queue:
                let kept = mod.prune ? "" : " + images already in the gallery and not listed, read just before the edit"
                lines.append("  final order: " + list(mod.finalOrder.map { String($0.prefix(12)) }) + (mod.currentGallery == nil ? kept : ""))
            case .alreadyQueued(let job):
                lines.append("  final order: already queued as job \(job)")
            case .notNeeded:
                lines.append("  final order: the gallery is already in this order")
            }
            lines.append("  to prune (\(mod.toPrune.count)): " + list(mod.toPrune.map { String($0.prefix(12)) }))
        }
        let uploads = plan.mods.map(\.toUpload.count).reduce(0, +)
        let reorders = plan.mods.filter { $0.reorder == .queue }.count
        lines.append(
            (dryRun ? "dry run: would queue " : "plan: ")
                + "\(uploads) upload\(uploads == 1 ? "" : "s") and \(reorders) reorder\(reorders == 1 ? "" : "s") for \(plan.mods.count) mod\(plan.mods.count == 1 ? "" : "s")")
        return lines.joined(separator: "\n")
    }

    private static func list(_ items: [String]) -> String { items.isEmpty ? "-" : items.joined(separator: ", ") }
    private static func name(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }
}
