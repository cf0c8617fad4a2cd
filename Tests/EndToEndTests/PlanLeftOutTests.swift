import Foundation
import ModPortalSim
import TestSupport
import Testing

/// The plan of `enqueue` says what it leaves out, and names images to prune by file name.
@Suite(.serialized) struct PlanLeftOutTests {
    @Test func thePlanListsEveryFileItLeavesOutWithItsReason() async throws {
        try await withSimulator { sim, url in
            let cli = try CLIHarness()
            let (tree, _) = try cli.makeTree(["alpha": 1...2])
            let alpha = URL(fileURLWithPath: tree).appendingPathComponent("alpha")
            try Data("RIFF....WEBP".utf8).write(to: alpha.appendingPathComponent("06-promo.webp"))
            try ImageFixtures.png(seed: 3).write(to: alpha.appendingPathComponent("07-promo.jpeg.bak"))
            try Data("notes".utf8).write(to: alpha.appendingPathComponent("notes.txt"))
            try ImageFixtures.png(seed: 1).write(to: alpha.appendingPathComponent("07-same-as-01.png"))
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: tree).appendingPathComponent("empty-mod"), withIntermediateDirectories: true)
            let expected = [
                "06-promo.webp: not an image the portal takes",
                "07-promo.jpeg.bak: not an image the portal takes",
                "notes.txt: not an image the portal takes",
                "07-same-as-01.png: the same bytes as 00.png",
                "empty-mod/: no images",
            ]
            let page = cli.dir.file("plan.html")
            let dryRun = try await cli.run(["enqueue", tree, "--dry-run", "--html", page], environment: cli.workEnvironment(url))
            #expect(dryRun.status == 0, "\(dryRun.stderr)")
            #expect(dryRun.stdout.contains("  left out (4):"), "\(dryRun.stdout)")
            #expect(dryRun.stdout.contains("dry run: would queue 2 uploads and 1 reorder for 1 mod"), "\(dryRun.stdout)")
            let html = try String(contentsOfFile: page, encoding: .utf8)
            for line in expected {
                #expect(dryRun.stdout.contains(line), "\(line): \(dryRun.stdout)")
                let (name, reason) = (line.prefix { $0 != ":" }, line.drop { $0 != ":" }.dropFirst(2))
                #expect(html.contains("<span class=\"name\">\(name)</span>: \(reason)"), "\(line): \(html)")
            }
            // The plan as enqueue queues it says the same.
            let queued = try await cli.run(["enqueue", tree], environment: cli.workEnvironment(url))
            #expect(queued.status == 0, "\(queued.stderr)")
            for line in expected { #expect(queued.stdout.contains(line), "\(line): \(queued.stdout)") }
            #expect(try await cli.total("queued") == 3)
        }
    }

    @Test func imagesToPruneAreNamedByTheFileTheHistoryKnows() async throws {
        try await withSimulator { sim, url in
            let cli = try CLIHarness()
            let environment = cli.workEnvironment(url)
            let old = try cli.pngs(5...5, prefix: "old-shot")[0]
            let oldID = ImageFixtures.sha1Hex(try Data(contentsOf: URL(fileURLWithPath: old)))
            #expect(try await cli.run(["upload", "alpha", old], environment: environment).status == 0)
            #expect(try await cli.run(["work", "--rate", "100/s", "--quiet"], environment: environment).status == 0)
            let other = sim.seedGallery(mod: "alpha", images: [ImageFixtures.png(seed: 9)])[0]
            let kept = try cli.pngs(1...1)[0]
            let manifest = cli.dir.file("gallery.json")
            try Data(#"{"mods": [{"name": "alpha", "prune": true, "images": ["\#(kept)"]}]}"#.utf8)
                .write(to: URL(fileURLWithPath: manifest))
            let page = cli.dir.file("plan.html")
            let plan = try await cli.run(["enqueue", manifest, "--dry-run", "--html", page], environment: environment)
            #expect(plan.status == 0, "\(plan.stderr)")
            #expect(plan.stdout.contains("to prune (2): old-shot-5.png (\(oldID.prefix(12))), \(other.prefix(12))"), "\(plan.stdout)")
            let html = try String(contentsOfFile: page, encoding: .utf8)
            #expect(html.contains("<span class=\"name\">old-shot-5.png</span><span class=\"id\">\(oldID.prefix(12))"), "\(html)")
        }
    }
}
