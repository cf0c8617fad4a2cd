import Foundation
import ModPortalSim
import TestSupport
import Testing

/// `upload`, `reorder` and `remove` check what `enqueue` checks: a mod the portal does not know
/// is refused, a reorder does not take images out unasked, and `--dry-run` queues nothing.
@Suite(.serialized) struct SingleImageCheckTests {
    func errorLines(_ stderr: String) -> [Substring] {
        stderr.split(separator: "\n").filter { $0.hasPrefix("modimg-queue:") }
    }

    @Test func aModThePortalDoesNotKnowIsRefusedByEachCommandAndOfflineQueuesIt() async throws {
        try await withSimulator({ $0.knownMods = ["alpha"] }) { sim, url in
            let cli = try CLIHarness()
            let image = try cli.pngs(1...1)[0]
            let id = ImageFixtures.sha1Hex(try Data(contentsOf: URL(fileURLWithPath: image)))
            let commands = [["upload", "ghost", image], ["reorder", "ghost", id], ["remove", "ghost", id]]
            for command in commands {
                for dryRun in [[], ["--dry-run"]] {
                    let refused = try await cli.run(command + dryRun, environment: cli.workEnvironment(url))
                    #expect(refused.status == 1, "\(command)")
                    #expect(errorLines(refused.stderr).count == 1, "\(command): \(refused.stderr)")
                    #expect(refused.stderr.contains("the portal has no mod named ghost"), "\(command): \(refused.stderr)")
                    #expect(!refused.stdout.contains("queued"), "\(command): \(refused.stdout)")
                    #expect(!FileManager.default.fileExists(atPath: cli.db), "\(command): a refused command creates no queue")
                }
            }
            // --offline asks nothing of the portal, and queues.
            let before = sim.state().requests["full", default: 0]
            for command in commands {
                let queued = try await cli.run(command + ["--offline"], environment: ["MODIMG_PORTAL_URL": "http://127.0.0.1:1"])
                #expect(queued.status == 0, "\(command): \(queued.stderr)")
                #expect(queued.stdout.contains("job"), "\(command): \(queued.stdout)")
            }
            #expect(sim.state().requests["full", default: 0] == before)
            #expect(try await cli.total("queued") == 3)
        }
    }

    @Test func dryRunPrintsWhatWouldBeQueuedAndCreatesNothing() async throws {
        try await withSimulator { sim, url in
            let cli = try CLIHarness()
            let images = try cli.pngs(1...2)
            let ids = try images.map { ImageFixtures.sha1Hex(try Data(contentsOf: URL(fileURLWithPath: $0))) }
            let runs: [([String], String)] = [
                (["upload", "alpha"] + images, "dry run: would queue 2 uploads for alpha: \(images[0]), \(images[1])"),
                (["reorder", "alpha"] + images, "dry run: would queue reorder of alpha to 2 images"),
                (["remove", "alpha", ids[0]], "dry run: would queue removal of 1 image from alpha: \(ids[0].prefix(12))"),
            ]
            for (command, said) in runs {
                let result = try await cli.run(command + ["--dry-run"], environment: cli.workEnvironment(url))
                #expect(result.status == 0, "\(command): \(result.stderr)")
                #expect(result.stdout.contains(said), "\(command): \(result.stdout)")
                #expect(!FileManager.default.fileExists(atPath: cli.db), "\(command): a dry run creates no queue")
            }
            // On an existing queue: still nothing queued.
            #expect(try await cli.run(["upload", "alpha", images[0]], environment: cli.workEnvironment(url)).status == 0)
            for (command, _) in runs {
                #expect(try await cli.run(command + ["--dry-run"], environment: cli.workEnvironment(url)).status == 0)
            }
            #expect(try await cli.total("queued") == 1)
        }
    }

    @Test func aReorderThatWouldTakeImagesOutIsRefusedNamingThemUnlessPruneOrKeepRest() async throws {
        try await withSimulator { sim, url in
            let cli = try CLIHarness()
            let environment = cli.workEnvironment(url)
            let images = try cli.pngs(1...4)
            let ids = try images.map { ImageFixtures.sha1Hex(try Data(contentsOf: URL(fileURLWithPath: $0))) }
            #expect(try await cli.run(["upload", "alpha"] + images, environment: environment).status == 0)
            #expect(try await cli.run(["work", "--rate", "100/s", "--quiet"], environment: environment).status == 0)
            // An image put there some other way: the history knows no file for it.
            let other = sim.seedGallery(mod: "alpha", images: [ImageFixtures.png(seed: 9)])[0]

            let refused = try await cli.run(["reorder", "alpha", images[1], ids[0]], environment: environment)
            #expect(refused.status == 1)
            let lines = errorLines(refused.stderr)
            #expect(lines.count == 1, "\(refused.stderr)")
            let leaving = "image-3.png (\(ids[2].prefix(12))), image-4.png (\(ids[3].prefix(12))), \(other.prefix(12))"
            #expect(lines.first?.contains("would take 3 images out of the gallery of alpha (\(leaving))") == true, "\(refused.stderr)")
            #expect(lines.first?.contains("--prune") == true && lines.first?.contains("--keep-rest") == true)
            #expect(refused.stdout.contains("  1. image-2.png (\(ids[1].prefix(12)))\n  2. image-1.png (\(ids[0].prefix(12)))"), "\(refused.stdout)")
            #expect(try await cli.total("queued") == 0, "a refused reorder queues nothing")

            let keep = try await cli.run(["reorder", "alpha", images[1], ids[0], "--keep-rest", "--dry-run"], environment: environment)
            #expect(keep.status == 0, "\(keep.stderr)")
            #expect(keep.stdout.contains("alpha after this reorder (5 images)"), "\(keep.stdout)")
            #expect(keep.stdout.contains("leaving the gallery (0): -"), "\(keep.stdout)")

            let pruned = try await cli.run(["reorder", "alpha", images[1], ids[0], "--prune"], environment: environment)
            #expect(pruned.status == 0, "\(pruned.stderr)")
            #expect(pruned.stdout.contains("leaving the gallery (3): \(leaving)"), "\(pruned.stdout)")
            #expect(pruned.stdout.contains("queued reorder of alpha to 2 images: job 5"), "\(pruned.stdout)")
            #expect(try await cli.run(["work", "--rate", "100/s", "--quiet"], environment: environment).status == 0)
            #expect(sim.state().galleries["alpha"] == [ids[1], ids[0]])
        }
    }

    @Test func offlineAReorderCountsTheUploadsStillQueuedAsPartOfTheGallery() async throws {
        let cli = try CLIHarness()
        let images = try cli.pngs(1...2)
        let ids = try images.map { ImageFixtures.sha1Hex(try Data(contentsOf: URL(fileURLWithPath: $0))) }
        #expect(try await cli.runOffline(["upload", "alpha"] + images).status == 0)
        let refused = try await cli.runOffline(["reorder", "alpha", ids[1]])
        #expect(refused.status == 1)
        #expect(errorLines(refused.stderr).count == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("would take 1 image out of the gallery of alpha (image-1.png (\(ids[0].prefix(12))))"), "\(refused.stderr)")
        #expect(refused.stdout.contains("from this queue's history only"), "\(refused.stdout)")
        #expect(try await cli.total("queued") == 2)
        let kept = try await cli.runOffline(["reorder", "alpha", ids[1], "--keep-rest"])
        #expect(kept.status == 0, "\(kept.stderr)")
        #expect(kept.stdout.contains("  1. image-2.png (\(ids[1].prefix(12)))\n  2. image-1.png (\(ids[0].prefix(12)))"), "\(kept.stdout)")
        #expect(try await cli.total("queued") == 3)
    }
}
