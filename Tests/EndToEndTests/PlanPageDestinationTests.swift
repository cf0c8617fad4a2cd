import Foundation
import TestSupport
import Testing

/// `enqueue --dry-run --html FILE` replaces an earlier plan page and nothing else: not the
/// queue, not an image, not a page of someone else's.
@Suite struct PlanPageDestinationTests {
    func tree(_ cli: CLIHarness) throws -> String {
        let folder = cli.dir.url.appendingPathComponent("tree/alpha")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try ImageFixtures.png(seed: 1).write(to: folder.appendingPathComponent("01.png"))
        return cli.dir.url.appendingPathComponent("tree").path
    }

    @Test func theHTMLPageOverwritesNeitherTheQueueNorAnImageNorAnotherPage() async throws {
        let cli = try CLIHarness()
        let tree = try tree(cli)
        #expect(try await cli.runOffline(["upload", "m"] + (try cli.pngs(1...1))).status == 0)
        let notes = cli.dir.file("notes.html")
        try Data("<html><title>my notes</title></html>".utf8).write(to: URL(fileURLWithPath: notes))
        let image = "\(tree)/alpha/01.png"
        for (target, what) in [(cli.db, "an SQLite database"), (image, "a PNG image"), (notes, "other content")] {
            let before = try Data(contentsOf: URL(fileURLWithPath: target))
            let result = try await cli.run(["enqueue", tree, "--offline", "--dry-run", "--html", target])
            #expect(result.status == 1, "\(result.stderr)")
            #expect(
                result.stderr.hasPrefix("modimg-queue: cannot write the plan page \(target): it already holds \(what)"), "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == before, "\(target) was changed")
        }
        #expect(try await cli.total("queued") == 1)
        let page = cli.dir.file("plan.html")
        for _ in 1...2 {
            let result = try await cli.run(["enqueue", tree, "--offline", "--dry-run", "--html", page])
            #expect(result.status == 0, "an earlier plan page is replaced: \(result.stderr)")
        }
        #expect(try String(contentsOfFile: page, encoding: .utf8).contains("<meta name=\"generator\" content=\"modimg-queue plan\">"))
    }
}
