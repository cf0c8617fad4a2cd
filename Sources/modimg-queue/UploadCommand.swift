import ArgumentParser
import ModImgQueue

struct UploadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upload",
        abstract: "Queue one upload job per image for a mod's gallery.",
        discussion: "Every file is checked first (exists, readable, PNG/JPEG/GIF by content, complete, within --max-size); one bad file rejects the whole command and nothing is queued.")

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: ArgumentHelp("Largest image accepted, in bytes.", valueName: "bytes"))
    var maxSize: Int64 = ImageFile.defaultMaxBytes

    @Argument(help: "The mod's name on the portal.")
    var mod: String

    @Argument(help: "Image files (PNG, JPEG or GIF).")
    var images: [String]

    func validate() throws {
        guard !images.isEmpty else { throw ValidationError("name at least one image file.") }
        guard maxSize > 0 else { throw ValidationError("--max-size must be a positive number of bytes.") }
    }

    func run() async throws {
        try await Terminal.reportingErrors(database: database) {
            let result = try await Enqueuer(database: try database.open()).enqueueUploads(mod: mod, paths: BulkArguments.values(after: images), maxBytes: maxSize)
            for skipped in result.skipped {
                print("skipped \(skipped.path): \(skipped.reason)")
            }
            let ids = result.queued
            if ids.isEmpty {
                print("nothing new to queue for \(mod).")
            } else {
                print("queued \(ids.count) upload\(ids.count == 1 ? "" : "s") for \(mod): job\(ids.count == 1 ? "" : "s") \(ids.map(String.init).joined(separator: ", "))")
            }
        }
    }
}
