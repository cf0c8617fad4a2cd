import Foundation
import ModPortalSim
import TestSupport
import Testing

/// The next step a failure gets is one that works: followed to the letter, the next night succeeds.
/// And every place that shows it — the end-of-run summary, `status --failed`, `log`,
/// `--events json` — shows the same one.
@Suite struct AdviceTests {
    @Test func aChangedFileIsQueuedAgainAsTheAdviceSaysAndTheNextRunSucceeds() async throws {
        try await withSimulator { sim, url in
            let cli = try CLIHarness()
            let file = try cli.pngs(1...1)[0]
            #expect(try await cli.runOffline(["upload", "m", file]).status == 0)
            // Rewritten after it was queued: the job can never send what it queued.
            let now = ImageFixtures.png(seed: 2)
            try now.write(to: URL(fileURLWithPath: file))
            let work = try await cli.run(["work", "--rate", "100/s", "--no-progress", "--events", "json"], environment: cli.workEnvironment(url))
            #expect(work.status == 1, "\(work.stderr)")

            let failed = try await cli.run(["status", "--failed"])
            let next = try #require(Self.nextStep(in: failed.stdout), "status --failed gives a next step: \(failed.stdout)")
            #expect(!next.contains("modimg-queue retry"), "a retry fails the same way: \(next)")
            #expect(Self.nextStep(in: work.stderr) == next, "the summary: \(work.stderr)")
            let event = try #require(Self.events(work.stdout).first { $0["event"] as? String == "failed" })
            #expect(event["next"] as? String == next)
            #expect(event["retry_helps"] as? Bool == false)
            let job = try #require(event["job"] as? Int)
            #expect(Self.nextStep(in: try await cli.run(["log", "\(job)"]).stdout) == next)

            for command in Self.commands(in: next) {
                let result = try await cli.run(command, environment: cli.workEnvironment(url))
                #expect(result.status == 0, "\(command): \(result.stderr)")
            }
            let again = try await cli.run(["work", "--rate", "100/s", "--no-progress"], environment: cli.workEnvironment(url))
            #expect(again.status == 0, "\(again.stderr)")
            #expect(try await cli.total("failed") == 0)
            #expect(sim.state().galleries["m"] == [ImageFixtures.sha1Hex(now)])
        }
    }

    @Test func aForbiddenModIsDoneOnceAKeyThatMayChangeItFollowsTheAdvice() async throws {
        let cli = try CLIHarness()
        let file = try cli.pngs(1...1)[0]
        #expect(try await cli.runOffline(["upload", "theirs", file]).status == 0)
        let next = try await withSimulator({ $0.forbiddenMods = ["theirs"] }) { _, url in
            let work = try await cli.run(["work", "--rate", "100/s", "--no-progress"], environment: cli.workEnvironment(url))
            #expect(work.status == 1)
            return try #require(Self.nextStep(in: try await cli.run(["status", "--failed"]).stdout))
        }
        #expect(next.contains("owner") && next.contains("collaborator"), "says whose key may change it: \(next)")
        // The owner's key: the portal that refused this one takes it.
        try await withSimulator { sim, url in
            for command in Self.commands(in: next) {
                #expect(try await cli.run(command, environment: cli.workEnvironment(url)).status == 0, "\(command)")
            }
            let work = try await cli.run(["work", "--rate", "100/s", "--no-progress"], environment: cli.workEnvironment(url))
            #expect(work.status == 0, "\(work.stderr)")
            #expect(sim.state().galleries["theirs"]?.count == 1)
        }
    }

    @Test func anOrderNamingAnImageTheGalleryDoesNotHaveIsNotOfferedARetry() async throws {
        try await withSimulator { sim, url in
            let cli = try CLIHarness()
            let ids = sim.seedGallery(mod: "m", images: [ImageFixtures.png(seed: 7), ImageFixtures.png(seed: 8)])
            let gone = String(repeating: "ab", count: 20)
            #expect(try await cli.runOffline(["reorder", "m", ids[1], gone, ids[0]]).status == 0)
            let work = try await cli.run(["work", "--rate", "100/s", "--no-progress", "--events", "json"], environment: cli.workEnvironment(url))
            #expect(work.status == 1, "\(work.stderr)")
            let event = try #require(Self.events(work.stdout).first { $0["event"] as? String == "failed" })
            let job = try #require(event["job"] as? Int)
            let next = try #require(Self.nextStep(in: try await cli.run(["log", "\(job)"]).stdout))
            #expect(!next.contains("modimg-queue retry"), "the same order fails the same way: \(next)")
            #expect(next.contains("modimg-queue reorder m") && next.contains("modimg-queue cancel --failed \(job)"), "\(next)")
            // Setting it aside as said leaves no failure behind.
            #expect(try await cli.run(["cancel", "--failed", "\(job)"]).status == 0)
            #expect(try await cli.total("failed") == 0)
        }
    }

    /// The text after the first `next: `, whole (continued lines joined).
    static func nextStep(in output: String) -> String? {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.contains("next: ") }) else { return nil }
        var text = String(lines[start][lines[start].range(of: "next: ")!.upperBound...])
        for line in lines[(start + 1)...] {
            guard line.hasPrefix("      ") else { break }
            text += " " + line.trimmingCharacters(in: .whitespaces)
        }
        return text
    }

    /// Every `modimg-queue …` command the advice names, as arguments (without the program's name).
    static func commands(in advice: String) -> [[String]] {
        let pattern = try! NSRegularExpression(pattern: "modimg-queue ((?:[A-Za-z0-9_./@%+=:-]+ ?)+)")
        return pattern.matches(in: advice, range: NSRange(advice.startIndex..., in: advice)).map { match in
            String(advice[Range(match.range(at: 1), in: advice)!]).split(separator: " ").map(String.init)
        }
    }

    static func events(_ stdout: String) -> [[String: Any]] {
        stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }
}
