import ArgumentParser
import ModImgQueue

struct ReorderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reorder",
        abstract: "Queue a job that sets a mod's gallery to exactly these image ids, in this order.",
        discussion: """
            Images left out are removed from the gallery. Name each image by its id (its SHA1, 40 hexadecimal \
            characters) or by its file; a file still waiting in this queue to be uploaded makes the reorder wait \
            for that upload.
            """)

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "The mod's name on the portal.", completion: .modNames)
    var mod: String

    @Argument(
        help: ArgumentHelp("Image ids or image files, in gallery order.", valueName: "image-id-or-file"), completion: .imageFiles)
    var imageIDs: [String]

    func validate() throws {
        guard !imageIDs.isEmpty else { throw ValidationError("name at least one image id.") }
    }

    func run() async throws {
        try await Terminal.reportingErrors(database: database) {
            let images = BulkArguments.values(after: imageIDs)
            let id = try await Enqueuer(database: try database.open()).enqueueReorder(mod: mod, images: images)
            print("queued reorder of \(mod) to \(images.count) image\(images.count == 1 ? "" : "s"): job \(id)")
        }
    }
}
