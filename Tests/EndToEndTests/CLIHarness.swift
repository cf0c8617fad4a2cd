import Foundation
import TestSupport

/// Runs the built `modimg-queue` against one database in a temporary folder.
struct CLIHarness {
    let dir: TemporaryDirectory
    let db: String

    init() throws {
        dir = try TemporaryDirectory("e2e")
        db = dir.file("queue.sqlite3")
    }

    func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> CommandResult {
        try await CommandRunner.run(Binaries.modimgQueue, arguments + ["--db", db], environment: environment)
    }

    /// `run` with `--offline`: for `upload`, `reorder` and `remove` queueing what a test sets up
    /// without asking a portal whether the mod exists.
    func runOffline(_ arguments: [String], environment: [String: String] = [:]) async throws -> CommandResult {
        try await run(arguments + ["--offline"], environment: environment)
    }

    func start(_ arguments: [String], environment: [String: String] = [:]) throws -> RunningCommand {
        try CommandRunner.start(Binaries.modimgQueue, arguments + ["--db", db], environment: environment)
    }

    func workEnvironment(_ url: URL, key: String = SimDefaults.apiKey) -> [String: String] {
        ["MOD_EDIT_API_KEY": key, "MODIMG_PORTAL_URL": url.absoluteString]
    }

    func statusJSON() async throws -> [String: Any] {
        let result = try await run(["status", "--json"])
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
    }

    func total(_ state: String) async throws -> Int {
        (try await statusJSON()["total"] as? [String: Any])?[state] as? Int ?? -1
    }

    func pngs(_ seeds: ClosedRange<Int>, prefix: String = "image") throws -> [String] {
        try seeds.map { try ImageFixtures.writePNG(seed: $0, to: dir.url, name: "\(prefix)-\($0).png") }
    }

    /// Writes tree/<mod>/<nn>.png for each mod; returns the tree and each mod's ids in order.
    func makeTree(_ mods: [String: ClosedRange<Int>]) throws -> (String, [String: [String]]) {
        let tree = dir.url.appendingPathComponent("tree")
        var ids: [String: [String]] = [:]
        for (mod, seeds) in mods {
            let folder = tree.appendingPathComponent(mod)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for (index, seed) in seeds.enumerated() {
                let data = ImageFixtures.png(seed: seed)
                try data.write(to: folder.appendingPathComponent(String(format: "%02d.png", index)))
                ids[mod, default: []].append(ImageFixtures.sha1Hex(data))
            }
        }
        return (tree.path, ids)
    }
}
