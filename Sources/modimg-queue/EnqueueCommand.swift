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

    @OptionGroup var portal: PortalLookupOptions

    @Option(name: .long, parsing: .unconditional, help: ByteSize.maxSizeHelp, transform: ByteSize.parse)
    var maxSize = ByteSize.imageLimit

    @Flag(name: .long, help: "Print the plan and queue nothing.")
    var dryRun = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "With --dry-run, also write the plan as one page of thumbnails (opens offline).", valueName: "file"),
        completion: .file(extensions: ["html"]))
    var html: String?

    @Argument(help: "A folder of per-mod folders, or a .toml/.json manifest.", completion: .file())
    var path: String

    func validate() throws {
        if html != nil && !dryRun {
            throw ValidationError("--html writes the plan of a dry run; add --dry-run (then run enqueue again without both to queue it).")
        }
    }

    func run() async throws {
        try await Terminal.reportingErrors(database: database) {
            if let html { try PlanPage.checkDestination(html) }
            let source = try GallerySpecLoader.read(path: path)
            var specs = source.specs
            var galleries: [String: [String]] = [:]
            // A mod whose gallery cannot be read is not planned from the history, which may not know it.
            var notPlanned: GalleryListingError?
            if !portal.offline {
                let listings = try await portal.listings(of: specs.map(\.mod))
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
                let plan = try await planner.plan(
                    specs, galleries: galleries, maxBytes: maxSize.bytes, leftOut: source.leftOut)
                print(PlanRendering.render(plan, dryRun: true))
                if let html {
                    let thumbnails = try await QueueQueries(database: queue).thumbnails(mods: plan.mods.map(\.mod))
                    try PlanPage.write(PlanPage.html(plan, thumbnails: thumbnails, offline: portal.offline), to: html)
                    print("plan page: \(URL(fileURLWithPath: html).absoluteString)")
                }
                if let notPlanned { throw notPlanned }
                return
            }
            // Planned and queued in one write transaction, against the queue as it is then.
            let (plan, outcome) = try await planner.enqueue(
                specs, galleries: galleries, maxBytes: maxSize.bytes, leftOut: source.leftOut)
            print(PlanRendering.render(plan, dryRun: false))
            if outcome.uploadJobs.isEmpty && outcome.reorderJobs.isEmpty {
                print("nothing new to queue: every gallery is done or already queued.")
            } else {
                print("queued \(outcome.uploadJobs.count) upload job\(outcome.uploadJobs.count == 1 ? "" : "s") and \(outcome.reorderJobs.count) reorder job\(outcome.reorderJobs.count == 1 ? "" : "s"); `modimg-queue work` will send \(plan.requestCount) requests to the portal for them.")
            }
            if let notPlanned { throw notPlanned }
        }
    }
}
