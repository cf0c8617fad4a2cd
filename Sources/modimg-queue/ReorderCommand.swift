import ArgumentParser
import Foundation
import ModImgQueue

struct ReorderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reorder",
        abstract: "Queue a job that sets a mod's gallery to these images, in this order.",
        discussion: """
            Name each image by its id (its SHA1, 40 hexadecimal characters) or by its file; a file still waiting \
            in this queue to be uploaded makes the reorder wait for that upload. The gallery the reorder leaves is \
            shown first, and each image it would take out is named: a reorder that would take any out is refused, \
            and nothing queued, unless --prune (take them out) or --keep-rest (keep them after the named ones) is \
            given. The gallery is the portal's public listing (no key needed) read against this queue's own \
            changes, plus the uploads still queued; a mod the portal does not know is refused. With --offline \
            the portal is not read, and only this queue's history is known. --dry-run shows the same and queues \
            nothing.
            """)

    @OptionGroup var database: DatabaseOptions

    @OptionGroup var portal: PortalLookupOptions

    @Flag(name: .long, help: "Take out of the gallery the images not named.")
    var prune = false

    @Flag(name: .long, help: "Keep the images not named after the named ones, in their order.")
    var keepRest = false

    @Flag(name: .long, help: "Print what would be queued and queue nothing (no queue is created).")
    var dryRun = false

    @Argument(help: "The mod's name on the portal.", completion: .modNames)
    var mod: String

    @Argument(
        help: ArgumentHelp("Image ids or image files, in gallery order.", valueName: "image-id-or-file"), completion: .imageFiles)
    var imageIDs: [String]

    func validate() throws {
        guard !imageIDs.isEmpty else { throw ValidationError("name at least one image id.") }
        if prune && keepRest {
            throw ValidationError("--prune takes the images not named out and --keep-rest keeps them; choose one.")
        }
    }

    func run() async throws {
        try await Terminal.reportingErrors(database: database) {
            let images = try Enqueuer.inspectReorder(mod: mod, images: BulkArguments.values(after: imageIDs))
            let listing = try await portal.gallery(of: mod)
            let unlisted: ReorderPlan.Unlisted = prune ? .prune : keepRest ? .keep : .refuse
            let (queue, scratch) = dryRun ? try database.openForDryRun() : (try database.open(), nil)
            defer { if let scratch { try? FileManager.default.removeItem(atPath: scratch) } }
            let enqueuer = Enqueuer(database: queue)
            let plan = try await enqueuer.planReorder(mod: mod, images: images, listing: listing, unlisted: unlisted)
            print(ReorderRendering.render(plan))
            if let refusal = plan.refusal { throw refusal }
            let what = "reorder of \(mod) to \(images.count) image\(images.count == 1 ? "" : "s")"
            guard !dryRun else {
                print("dry run: would queue \(what)")
                return
            }
            let (_, id) = try await enqueuer.enqueueReorder(mod: mod, images: images, listing: listing, unlisted: unlisted)
            print("queued \(what): job \(id)")
        }
    }
}

/// The gallery a reorder leaves, and the images it takes out, as `reorder` prints them.
enum ReorderRendering {
    static func render(_ plan: ReorderPlan) -> String {
        let source = plan.listingRead ? "" : " (from this queue's history only: the portal was not read)"
        var lines = ["\(plan.mod) after this reorder (\(plan.after.count) image\(plan.after.count == 1 ? "" : "s"))\(source):"]
        lines += plan.after.enumerated().map { "  \($0.offset + 1). \($0.element.shown)" }
        if plan.unlisted == .keep && !plan.notNamed.isEmpty {
            lines.append("  (the images not named are kept after these, as the portal lists them just before the edit)")
        }
        let leaving = plan.unlisted == .keep ? [] : plan.notNamed
        lines.append(
            "leaving the gallery (\(leaving.count)): " + (leaving.isEmpty ? "-" : leaving.map(\.shown).joined(separator: ", ")))
        return lines.joined(separator: "\n")
    }
}
