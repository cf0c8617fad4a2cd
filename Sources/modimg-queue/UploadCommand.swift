import ArgumentParser
import ModImgQueue

struct UploadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upload",
        abstract: "Queue one upload job per image for a mod's gallery.",
        discussion: "Every file is checked first (exists, readable, PNG/JPEG/GIF by content, complete, within --max-size); one bad file rejects the whole command and nothing is queued.")

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, parsing: .unconditional, help: ByteSize.maxSizeHelp, transform: ByteSize.parse)
    var maxSize = ByteSize.imageLimit

    @Argument(help: "The mod's name on the portal.", completion: .modNames)
    var mod: String

    @Argument(help: ArgumentHelp("Image files (PNG, JPEG or GIF).", valueName: "image"), completion: .imageFiles)
    var images: [String]

    func validate() throws {
        guard !images.isEmpty else { throw ValidationError("name at least one image file.") }
    }

    func run() async throws {
        try await Terminal.reportingErrors(database: database) {
            let result = try await Enqueuer(database: try database.open()).enqueueUploads(
                mod: mod, paths: BulkArguments.values(after: images), maxBytes: maxSize.bytes)
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
