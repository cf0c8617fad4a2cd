import Foundation
import ModImgDashboard
import ModImgQueue
import ModPortalSim
import SQLiteStore
import TestSupport

/// A real queue, made by the library's `Enqueuer` and worked by the built `modimg-queue work`
/// against an in-process `modportal-sim`:
/// - `alpha`: three uploads done, a reorder done that set the gallery to 3, 1, 2, then a fourth
///   upload queued and not worked;
/// - `beta`: an upload the portal refused (the simulator forbids the mod), so failed.
struct DashboardFixture: Sendable {
    let dir: TemporaryDirectory
    let db: String
    let files: [String]
    /// The image ids of alpha's files 1…4, in file order.
    let alphaIDs: [String]
    /// Job ids: alpha's uploads 1…3, the reorder, beta's upload, alpha's queued fourth upload.
    let alphaUploads: [Int64]
    let reorder: Int64
    let betaUpload: Int64
    let queuedUpload: Int64
    /// The order the mod page must show alpha's gallery in.
    var alphaGallery: [String] { [alphaIDs[2], alphaIDs[0], alphaIDs[1], alphaIDs[3]] }

    static func make(simulatorURL url: URL) async throws -> DashboardFixture {
        let dir = try TemporaryDirectory("dashboard")
        let db = dir.file("queue.sqlite3")
        let files = try (1...5).map { try ImageFixtures.writePNG(seed: 500 + $0, to: dir.url, name: "shot-\($0).png") }
        let ids = try files.map { try ImageFixtures.sha1Hex(Data(contentsOf: URL(fileURLWithPath: $0))) }
        let queue = try QueueDatabase.open(path: db)
        let enqueuer = Enqueuer(database: queue)
        let uploads = try await enqueuer.enqueueUploads(mod: "alpha", paths: Array(files[0...2])).queued
        let reorder = try await enqueuer.enqueueReorder(mod: "alpha", images: [ids[2], ids[0], ids[1]])
        let beta = try await enqueuer.enqueueUploads(mod: "beta", paths: [files[4]]).queued[0]
        let work = try await CommandRunner.run(
            Binaries.modimgQueue, ["work", "--db", db, "--rate", "100/s", "--no-progress"],
            environment: ["MOD_EDIT_API_KEY": SimDefaults.apiKey, "MODIMG_PORTAL_URL": url.absoluteString])
        guard work.status == 1 else { throw FixtureError.unexpected("work exited \(work.status): \(work.stderr)") }
        let queued = try await enqueuer.enqueueUploads(mod: "alpha", paths: [files[3]]).queued[0]
        return DashboardFixture(
            dir: dir, db: db, files: files, alphaIDs: Array(ids[0...3]), alphaUploads: uploads, reorder: reorder,
            betaUpload: beta, queuedUpload: queued)
    }

    /// The simulator configuration the fixture expects: `beta` forbidden.
    static func configure(_ configuration: inout SimConfiguration) {
        configuration.forbiddenMods = ["beta"]
    }

    func dashboard() throws -> Dashboard { try Dashboard.open(path: db) }

    /// Runs SQL on a connection of its own, as another program writing the file would.
    func execute(_ sql: String, _ values: [any SQLiteBindable] = []) throws {
        let connection = try Connection(path: db)
        try connection.run(sql, values)
    }

    /// Runs the built CLI on this queue.
    func cli(_ arguments: [String]) async throws -> CommandResult {
        try await CommandRunner.run(Binaries.modimgQueue, arguments + ["--db", db])
    }
}

enum FixtureError: Error {
    case unexpected(String)
}

/// Every `data-image-id` in `html`, in document order: the gallery as the page shows it.
func galleryIDs(in html: String) -> [String] {
    html.components(separatedBy: "data-image-id=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
}
