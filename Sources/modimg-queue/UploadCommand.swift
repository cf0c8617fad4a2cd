import ArgumentParser
import Foundation
import ModImgQueue

struct UploadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upload",
        abstract: "Queue one upload job per image for a mod's gallery.",
        discussion: """
            Every file is checked first (exists, readable, PNG/JPEG/GIF by content, complete, within --max-size); \
            one bad file rejects the whole command and nothing is queued. Then the portal's public listing is read \
            (no key needed) and a mod the portal does not know is refused; --offline skips that look-up. \
            --dry-run prints what would be queued and queues nothing.
            """)

    @OptionGroup var database: DatabaseOptions

    @OptionGroup var portal: PortalLookupOptions

    @Option(name: .long, parsing: .unconditional, help: ByteSize.maxSizeHelp, transform: ByteSize.parse)
    var maxSize = ByteSize.imageLimit

    @Flag(name: .long, help: "Print what would be queued and queue nothing (no queue is created).")
    var dryRun = false

    @Argument(help: "The mod's name on the portal.", completion: .modNames)
    var mod: String

    @Argument(help: ArgumentHelp("Image files (PNG, JPEG or GIF).", valueName: "image"), completion: .imageFiles)
    var images: [String]

    func validate() throws {
        guard !images.isEmpty else { throw ValidationError("name at least one image file.") }
    }

    func run() async throws {
        try await Terminal.reportingErrors(database: database) {
            let files = try Enqueuer.inspectUploads(mod: mod, paths: BulkArguments.values(after: images), maxBytes: maxSize.bytes)
            _ = try await portal.gallery(of: mod)
            guard !dryRun else {
                let (queue, scratch) = try database.openForDryRun()
                defer { if let scratch { try? FileManager.default.removeItem(atPath: scratch) } }
                let plan = try await Enqueuer(database: queue).planUploads(mod: mod, files: files)
                for skipped in plan.skipped {
                    print("would skip \(skipped.path): \(skipped.reason)")
                }
                let names = plan.toQueue.map(\.path).joined(separator: ", ")
                print("dry run: would queue \(plan.toQueue.count) upload\(plan.toQueue.count == 1 ? "" : "s") for \(mod)\(names.isEmpty ? "" : ": \(names)")")
                return
            }
            let result = try await Enqueuer(database: try database.open()).enqueueUploads(mod: mod, files: files)
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
