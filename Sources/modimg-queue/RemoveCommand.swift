import ArgumentParser
import ModImgQueue

struct RemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Queue a job that takes images out of a mod's gallery, keeping the others in their order.",
        discussion: """
            The worker reads the gallery just before its `edit` and sets it to that gallery minus these images. \
            Name each image by its id (its SHA1, 40 hexadecimal characters) or by its file.
            """)

    @OptionGroup var database: DatabaseOptions

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
            let id = try await Enqueuer(database: try database.open()).enqueueRemoval(mod: mod, images: images)
            print("queued removal of \(images.count) image\(images.count == 1 ? "" : "s") from \(mod): job \(id)")
        }
    }
}
