import Foundation
import ModPortalSim
import TestSupport
import Testing

/// `enqueue` and `work` as a user runs them overnight, against the simulator.
@Suite(.serialized) struct BatchTests {
    /// Writes `mods` × `images` PNGs as tree/<mod>/<nn>.png; returns each mod's ids in gallery order.
    func makeTree(_ cli: CLIHarness, mods: Int, images: Int) throws -> (String, [String: [String]], [String: [Data]]) {
        let tree = cli.dir.url.appendingPathComponent("tree")
        var order: [String: [String]] = [:]
        var files: [String: [Data]] = [:]
        for m in 0..<mods {
            let mod = "batch-mod-\(m)"
            let folder = tree.appendingPathComponent(mod)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for i in 0..<images {
                let data = ImageFixtures.png(seed: 10_000 + m * 100 + i)
                try data.write(to: folder.appendingPathComponent(String(format: "%02d.png", i)))
                order[mod, default: []].append(ImageFixtures.sha1Hex(data))
                files[mod, default: []].append(data)
            }
        }
        return (tree.path, order, files)
    }

    func plannedRequests(_ output: String) -> Int? {
        guard let range = output.range(of: #"will send (\d+) requests"#, options: .regularExpression) else { return nil }
        return Int(output[range].split(separator: " ")[2])
    }

    @Test func thirtyModsTwoWorkersOneSharedBudget() async throws {
        try await withSimulator({ $0.rateLimitPerSecond = 50 }) { sim, url in
            let cli = try CLIHarness()
            let (tree, order, files) = try makeTree(cli, mods: 30, images: 5)
            // 20% of the images are on the portal already: one per mod, at varying positions.
            for (m, mod) in order.keys.sorted().enumerated() {
                sim.seedGallery(mod: mod, images: [files[mod]![m % 5]])
            }
            let environment = cli.workEnvironment(url)
            let dryRun = try await cli.run(["enqueue", tree, "--dry-run"], environment: environment)
            #expect(dryRun.status == 0, "\(dryRun.stderr)")
            #expect(dryRun.stdout.contains("dry run: would queue 120 uploads and 30 reorders for 30 mods"))
            // A dry run creates nothing: not even an empty queue.
            #expect(!FileManager.default.fileExists(atPath: cli.db) && !FileManager.default.fileExists(atPath: cli.db + "-wal"))

            let enqueue = try await cli.run(["enqueue", tree], environment: environment)
            #expect(enqueue.status == 0, "\(enqueue.stderr)")
            let planned = try #require(plannedRequests(enqueue.stdout))
            #expect(planned == 120 * 2 + 30 * 2)
            let again = try await cli.run(["enqueue", tree], environment: environment)
            #expect(again.stdout.contains("nothing new to queue"))
            #expect(try await cli.total("queued") == 150)

            // Let the simulator's one-second window forget enqueue's gallery reads.
            try await Task.sleep(nanoseconds: 1_100_000_000)
            let before = sim.state()
            let arguments = ["work", "--rate", "40/s", "--concurrency", "4", "--quiet"]
            let workers = [try cli.start(arguments, environment: environment), try cli.start(arguments, environment: environment)]
            for worker in workers {
                let result = await worker.wait()
                #expect(result.status == 0, "\(result.stderr)")
            }
            let after = sim.state()
            #expect(after.galleries == order)
            #expect(after.rateLimited == before.rateLimited, "the workers exceeded the simulator's limit")
            for (mod, counts) in after.uploadsPerImage {
                #expect(counts.values.allSatisfy { $0 == 1 }, "\(mod) got an image twice")
            }
            #expect(after.uploadsPerImage.values.map(\.count).reduce(0, +) == 120)
            let sent = ["add", "upload", "edit", "full"].map { (after.requests[$0] ?? 0) - (before.requests[$0] ?? 0) }
            #expect(sent.reduce(0, +) == planned)
            #expect(try await cli.total("done") == 150)
        }
    }

    @Test func aMalformedManifestQueuesNothingAndNamesTheLine() async throws {
        let cli = try CLIHarness()
        let manifest = cli.dir.file("galleries.toml")
        try Data("[[mod]]\nname = \"a\"\nimages = [\"x.png\"\nprune = maybe\n".utf8).write(to: URL(fileURLWithPath: manifest))
        let result = try await cli.run(["enqueue", manifest, "--offline"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("line"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: cli.db), "a queue was created for nothing")
    }
}
