import ArgumentParser
import Foundation
import ModImgQueue

struct RemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Queue a job that takes images out of a mod's gallery, keeping the others in their order.",
        discussion: """
            The worker reads the gallery just before its `edit` and sets it to that gallery minus these images. \
            Name each image by its id (its SHA1, 40 hexadecimal characters) or by its file. A mod the portal does \
            not know is refused (its public listing is read, no key needed; --offline skips that look-up). \
            --dry-run prints what would be queued and queues nothing.
            """)

    @OptionGroup var database: DatabaseOptions

    @OptionGroup var portal: PortalLookupOptions

    @Flag(name: .long, help: "Print what would be queued and queue nothing (no queue is created).")
    var dryRun = false

    @Argument(help: "The mod's name on the portal.", completion: .modNames)
    var mod: String

    @Argument(help: "Image ids or image files to take out.")
    var images: [String]

    func validate() throws {
        guard !images.isEmpty else { throw ValidationError("name at least one image id or file to remove.") }
    }

    func run() async throws {
        try await Terminal.reportingErrors(database: database) {
            let images = BulkArguments.values(after: self.images)
            let ids = try Enqueuer.inspectRemoval(mod: mod, images: images)
            _ = try await portal.gallery(of: mod)
            let what = "removal of \(ids.count) image\(ids.count == 1 ? "" : "s") from \(mod)"
            guard !dryRun else {
                print("dry run: would queue \(what): \(ids.map { String($0.prefix(12)) }.joined(separator: ", "))")
                return
            }
            let id = try await Enqueuer(database: try database.open()).enqueueRemoval(mod: mod, ids: ids)
            print("queued \(what): job \(id)")
        }
    }
}
