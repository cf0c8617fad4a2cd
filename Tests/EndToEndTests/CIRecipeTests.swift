import Foundation
import ModPortalSim
import TestSupport
import Testing

/// contrib/github-actions: the workflow's script, run as a CI runner would (a fresh database each
/// time), and what `work` tells GitHub (`--summary-file`, `::error` / `::warning` lines).
@Suite(.serialized) struct CIRecipeTests {
    static let recipe = ShellConventionTests.packageRoot.appendingPathComponent("contrib/github-actions")

    /// Runs the recipe's script on `gallery` as a fresh runner would, with `summary` as `$GITHUB_STEP_SUMMARY`.
    func publish(_ gallery: String, url: URL, runner: TemporaryDirectory, summary: String) async throws -> CommandResult {
        try await CommandRunner.run(
            URL(fileURLWithPath: "/bin/sh"), [Self.recipe.appendingPathComponent("publish-gallery.sh").path, gallery],
            environment: [
                "MODIMG_QUEUE": Binaries.modimgQueue.path, "MODIMG_PORTAL_URL": url.absoluteString,
                "MOD_EDIT_API_KEY": SimDefaults.apiKey, "MODIMG_RATE": "100/s", "RUNNER_TEMP": runner.url.path,
                "GITHUB_STEP_SUMMARY": summary, "GITHUB_ACTIONS": "true", "MODIMG_QUEUE_DB": "",
            ])
    }

    @Test func theWorkflowPublishesTheGalleryOnReleaseAndASecondRunOnAFreshDatabaseUploadsNothing() async throws {
        let workflow = try String(contentsOf: Self.recipe.appendingPathComponent("publish-gallery.yml"), encoding: .utf8)
        #expect(workflow.contains("on:\n  release:\n    types: [published]"))
        #expect(workflow.contains("MOD_EDIT_API_KEY: ${{ secrets.MOD_EDIT_API_KEY }}"))
        // The workflow runs the script this test runs, where `make install` puts it.
        #expect(workflow.contains("run: /opt/modimg-queue/share/doc/modimg-queue/github-actions/publish-gallery.sh \"$GALLERY\""))
        #expect(workflow.contains("make -C /tmp/modimg-queue-src install PREFIX=/opt/modimg-queue"))

        try await withSimulator { sim, url in
            let cli = try CLIHarness()
            let (tree, ids) = try cli.makeTree(["alpha": 1...2, "beta": 3...3])
            var summaries: [String] = []
            for run in 1...2 {
                let runner = try TemporaryDirectory("runner")  // a fresh machine: a fresh database
                let summary = runner.file("step-summary.md")
                let result = try await publish(tree, url: url, runner: runner, summary: summary)
                #expect(result.status == 0, "run \(run): \(result.stdout)\(result.stderr)")
                #expect(FileManager.default.fileExists(atPath: runner.file("modimg-queue.sqlite3")), "the queue goes to $RUNNER_TEMP")
                let text = try String(contentsOfFile: summary, encoding: .utf8)
                summaries.append(text)
                for output in [result.stdout, result.stderr, text] { #expect(!output.contains(SimDefaults.apiKey)) }
                #expect(!result.stdout.contains("::error") && !result.stdout.contains("::warning"))
                if run == 1 {
                    #expect(sim.state().requests["upload", default: 0] == 3)
                } else {
                    #expect(result.stdout.contains("nothing to do"))
                }
            }
            // Uploaded once, by the first run; the second found every image there.
            #expect(sim.state().requests["upload", default: 0] == 3)
            #expect(summaries[0].hasPrefix("## modimg-queue: finished in "), "\(summaries[0])")
            #expect(summaries[0].contains("| done | failed | cancelled | requests |"))
            #expect(summaries[0].contains("\n| 5 | 0 | 0 | "), "three uploads and two reorders: \(summaries[0])")
            #expect(summaries[0].contains("- **alpha**: 2 images\n"))
            #expect(summaries[0].contains("- **beta**: 1 image\n"))
            #expect(summaries[0].contains("`\(ids["beta"]![0])`"))
            #expect(summaries[1].hasPrefix("## modimg-queue: nothing to do"), "\(summaries[1])")
            #expect(!summaries[1].contains("### Uploaded"))
        }
    }

    @Test func underGitHubActionsFailedModsAreErrorsAndRecoveredProblemsWarningsEscapedAsGitHubRequires() async throws {
        try await withSimulator { sim, url in
            let cli = try CLIHarness()
            let alpha = try cli.pngs(1...1, prefix: "alpha")
            let beta = try ImageFixtures.writePNG(seed: 2, to: cli.dir.url, name: "100%.png")
            #expect(try await cli.runOffline(["upload", "alpha"] + alpha).status == 0)
            #expect(try await cli.runOffline(["upload", "beta", beta]).status == 0)
            try FileManager.default.removeItem(atPath: beta)
            // alpha's job runs first; its first add gets a 503, then goes through.
            sim.injectResponse(for: .add, CannedResponse(status: 503, headers: ["Content-Type": "text/html"], body: "<html>busy</html>"))
            let summary = cli.dir.file("summary.md")
            try "earlier step\n".write(toFile: summary, atomically: true, encoding: .utf8)
            var environment = cli.workEnvironment(url)
            environment["GITHUB_ACTIONS"] = "true"
            let result = try await cli.run(
                ["work", "--rate", "100/s", "--retry-base", "0.01", "--concurrency", "1", "--summary-file", summary],
                environment: environment)
            #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
            let commands = result.stdout.split(separator: "\n").filter { $0.hasPrefix("::") }
            #expect(commands.count == 2, "\(result.stdout)")
            let error = try #require(commands.first { $0.hasPrefix("::error ") })
            #expect(error.hasPrefix("::error title=modimg-queue%3A beta failed::beta (1 job): FileUnreadable: "), "\(error)")
            #expect(error.contains("100%25.png no longer exists"), "a % is %25: \(error)")
            #expect(error.contains("%0Anext: "), "a line break is %0A: \(error)")
            let warning = try #require(commands.first { $0.hasPrefix("::warning ") })
            #expect(warning.hasPrefix("::warning title=modimg-queue%3A alpha recovered::job 1 of alpha was retried once after HTTP503"), "\(warning)")

            let text = try String(contentsOfFile: summary, encoding: .utf8)
            #expect(text.hasPrefix("earlier step\n## modimg-queue: finished in "), "appended: \(text)")
            #expect(text.contains("\n| 1 | 1 | 0 | "))
            #expect(text.contains("### Failed\n- **beta** (1 job): FileUnreadable: "))
            #expect(text.contains("\n  - next: "))
            #expect(text.contains("### Uploaded\n- **alpha**: 1 image\n"))
            #expect(text.contains("### Retried, then done\n- **alpha**, job 1: retried once after HTTP503"))

            // A summary file that cannot be written is refused before anything runs.
            let refused = try await cli.run(["work", "--summary-file", cli.dir.file("missing/summary.md")], environment: environment)
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("cannot write the summary file"), "\(refused.stderr)")
        }
    }
}
