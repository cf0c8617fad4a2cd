import ArgumentParser
import Foundation
import ModImgQueue

struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List every image uploaded for a mod, oldest first.")

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "The mod's name on the portal.", completion: .modNames)
    var mod: String

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    @Flag(name: .long, help: "Show every column whole, even wider than the terminal.")
    var wide = false

    private static let columns = [
        TableColumn("ID", .name), TableColumn("UPLOADED", .text), TableColumn("JOB", .count), TableColumn("FILE", .path),
        TableColumn("URL", .url), TableColumn("THUMBNAIL", .url),
    ]

    func run() async throws {
        try await Terminal.reportingErrors(database: database) {
            let entries = try await QueueQueries(database: try database.openExisting()).history(mod: mod)
            if json {
                try Terminal.printJSON(entries.map(HistoryJSON.init))
                return
            }
            guard !entries.isEmpty else {
                print("no images uploaded for \(mod) yet.")
                return
            }
            let now = Date().timeIntervalSince1970
            let rows = entries.map { entry in
                [
                    entry.id, LocalMoment.text(entry.uploadedAt, now: now), entry.job.map(String.init) ?? "-", entry.file ?? "-",
                    entry.url, entry.thumbnail,
                ]
            }
            print(FittedTable.text(Self.columns, rows: rows, maxWidth: Terminal.tableWidth(wide: wide), wholeWith: "--wide"))
        }
    }
}
