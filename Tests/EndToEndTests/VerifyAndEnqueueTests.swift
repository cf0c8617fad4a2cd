import Foundation
import ModPortal
import ModPortalSim
import TestSupport
import Testing

/// `verify`, and the mistakes `enqueue` refuses on a first run, through the built binary.
@Suite(.serialized) struct VerifyAndEnqueueTests {
    /// `verify --json`'s mods, by name.
    func verifyJSON(_ cli: CLIHarness, _ url: URL, _ mods: [String] = []) async throws -> (Int32, [String: [String: Any]]) {
        let result = try await cli.run(["verify", "--json", "--rate", "100/s", "--portal-url", url.absoluteString] + mods)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stderr)")
        #expect(Set(object.keys) == ["mods"])
        var byMod: [String: [String: Any]] = [:]
        for entry in try #require(object["mods"] as? [[String: Any]]) {
            #expect(
                Set(entry.keys) == [
                    "mod", "result", "in_sync", "reason", "missing_on_portal", "unknown_to_history", "order_differs", "files", "fix", "lost",
                ])
            byMod[try #require(entry["mod"] as? String)] = entry
        }
        return (result.status, byMod)
    }

    func errorLines(_ stderr: String) -> [Substring] {
        stderr.split(separator: "\n").filter { $0.hasPrefix("modimg-queue:") }
    }

    @Test func verifyIsQuietWhenInSyncAndNamesWhatChangedBehindTheQueuesBack() async throws {
        try await withSimulator { sim, url in
            let cli = try CLIHarness()
            let (tree, ids) = try cli.makeTree(["alpha": 1...2, "beta": 3...3])
            let environment = cli.workEnvironment(url)
            let enqueue = try await cli.run(["enqueue", tree], environment: environment)
            #expect(enqueue.status == 0, "\(enqueue.stderr)")
            #expect(enqueue.stderr.contains("reading 2 galleries from \(url.absoluteString)"))
            #expect(!enqueue.stderr.contains("\r"), "not a terminal: one plain line")
            #expect(try await cli.run(["work", "--rate", "100/s", "--quiet"], environment: environment).status == 0)

            let text = try await cli.run(["verify", "--rate", "100/s"], environment: environment)
            #expect(text.status == 0, "\(text.stderr)")
            #expect(text.stdout.contains("alpha: in sync") && text.stdout.contains("beta: in sync"))
            var (status, mods) = try await verifyJSON(cli, url)
            #expect(status == 0)
            #expect(mods["alpha"]?["in_sync"] as? Bool == true && mods["beta"]?["in_sync"] as? Bool == true)

            // An image added through the portal's site.
            let extra = sim.seedGallery(mod: "alpha", images: [ImageFixtures.png(seed: 99)])
            (status, mods) = try await verifyJSON(cli, url)
            #expect(status == 1)
            #expect(mods["alpha"]?["in_sync"] as? Bool == false)
            #expect(mods["alpha"]?["unknown_to_history"] as? [String] == extra)
            #expect(mods["alpha"]?["missing_on_portal"] as? [String] == [])
            #expect(mods["alpha"]?["order_differs"] as? Bool == false)
            #expect(mods["beta"]?["in_sync"] as? Bool == true)
            let drifted = try await cli.run(["verify", "alpha", "--rate", "100/s"], environment: environment)
            #expect(drifted.status == 1)
            #expect(drifted.stdout.contains("on the portal, unknown to the history: \(extra[0])"))

            // Another tool reorders alpha and drops one of the queue's images.
            let portal = HTTPPortalClient(baseURL: url, apiKey: APIKey(SimDefaults.apiKey))
            do {
                _ = try await portal.edit(mod: "alpha", imageIDs: [ids["alpha"]![1]])
            } catch {
                await portal.shutdown()
                throw error
            }
            await portal.shutdown()
            (status, mods) = try await verifyJSON(cli, url, ["alpha"])
            #expect(status == 1)
            #expect(mods.keys.sorted() == ["alpha"])
            #expect(mods["alpha"]?["missing_on_portal"] as? [String] == [ids["alpha"]![0]])
            #expect(mods["alpha"]?["unknown_to_history"] as? [String] == [])
            (status, mods) = try await verifyJSON(cli, url, ["beta"])
            #expect(status == 0)
        }
    }

    @Test func verifySaysWhenItCannotTell() async throws {
        try await withSimulator({ $0.knownMods = ["alpha"] }) { sim, url in
            let cli = try CLIHarness()
            let noQueue = try await cli.run(["verify", "--portal-url", url.absoluteString])
            #expect(noQueue.status == 2)
            #expect(noQueue.stderr.contains("there is no queue at"))
            #expect(!FileManager.default.fileExists(atPath: cli.db), "verify never creates a queue")
            #expect(try await cli.runOffline(["upload", "alpha"] + (try cli.pngs(1...1))).status == 0)
            let nothing = try await cli.run(["verify", "--portal-url", url.absoluteString, "--json"])
            #expect(nothing.status == 0, "\(nothing.stderr)")
            // Only a queued upload so far: nothing in the history to compare.
            let empty = try JSONSerialization.jsonObject(with: Data(nothing.stdout.utf8)) as? [String: Any]
            #expect((empty?["mods"] as? [Any])?.isEmpty == true)
            let unknown = try await cli.run(["verify", "ghost", "alpha", "gone", "--portal-url", url.absoluteString, "--rate", "100/s"])
            #expect(unknown.status == 2)
            #expect(errorLines(unknown.stderr).count == 1)
            #expect(unknown.stderr.contains("no mods named ghost, gone"))
            // Each mod's answer stands on its own: alpha was still checked.
            #expect(unknown.stdout.contains("ghost: the portal has no such mod\nalpha: in sync\ngone: the portal has no such mod"))

            let unreachable = try await cli.run(["verify", "alpha", "--portal-url", "http://127.0.0.1:1"])
            #expect(unreachable.status == 2)
            #expect(errorLines(unreachable.stderr).count == 1)
            #expect(unreachable.stderr.contains("cannot reach the portal at http://127.0.0.1:1"))
            #expect(unreachable.stderr.contains("--portal-url"))
        }
    }

    @Test func verifyWaitsOutAPortalsHiccupsReportsEachModAndPrintsTheCommandThatBringsAGalleryBack() async throws {
        try await withSimulator { sim, url in
            let cli = try CLIHarness()
            let (tree, ids) = try cli.makeTree(["alpha": 1...1, "beta": 2...3, "gamma": 4...5])
            let environment = cli.workEnvironment(url)
            #expect(try await cli.run(["enqueue", tree], environment: environment).status == 0)
            #expect(try await cli.run(["work", "--rate", "100/s", "--quiet"], environment: environment).status == 0)
            // Behind the queue's back: beta reversed and given a stranger, gamma loses its first image.
            let stranger = sim.seedGallery(mod: "beta", images: [ImageFixtures.png(seed: 77)])
            let portal = HTTPPortalClient(baseURL: url, apiKey: APIKey(SimDefaults.apiKey))
            do {
                _ = try await portal.edit(mod: "beta", imageIDs: [ids["beta"]![1], stranger[0], ids["beta"]![0]])
                _ = try await portal.edit(mod: "gamma", imageIDs: [ids["gamma"]![1]])
            } catch {
                await portal.shutdown()
                throw error
            }
            await portal.shutdown()
            // Mods are read in name order: alpha's three tries all fail; beta's first two fail, its third answers.
            let tooMany = CannedResponse(
                status: 429, headers: ["Content-Type": "application/json", "Retry-After": "0"],
                body: #"{"error":"InternalError","message":"Too many requests"}"#)
            let unavailable = CannedResponse(status: 503, headers: ["Content-Type": "text/html"], body: "<html><title>503</title></html>")
            for response in [tooMany, unavailable, tooMany, unavailable, tooMany] { sim.injectResponse(for: .full, response) }
            let options = ["--rate", "100/s", "--retry-base", "0.01", "--max-attempts", "3", "--listing-lag", "0"]
            let result = try await cli.run(["verify"] + options, environment: environment)
            #expect(result.status == 2, "the worst of unreadable (2) and drifted (1)")
            let lines = result.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first == "alpha: could not be read (InternalError: Too many requests; 3 tries)", "\(result.stdout)")
            #expect(lines.contains("beta: drifted") && lines.contains("gamma: drifted"))
            #expect(lines.last == "2 of 3 mods drifted; 1 could not be checked.")
            // Retried, said on stderr, and one sentence for the mod that could not be told.
            #expect(result.stderr.contains("reading the gallery of beta failed (HTTP503"), "\(result.stderr)")
            #expect(errorLines(result.stderr).filter { $0.contains("unreadable after every try") }.count == 1)
            #expect(result.stderr.contains("run `modimg-queue verify alpha` again later"))
            // gamma's lost image is named by its file.
            let gammaFile = "\(tree)/gamma/00.png"
            #expect(lines.contains("  in the history, gone from the portal: \(ids["gamma"]![0]) (\(gammaFile))"), "\(result.stdout)")
            #expect(lines.contains { $0.hasPrefix("  to get the gone images back") && $0.hasSuffix(gammaFile) })
            // beta's fix, pasted as printed, brings its gallery back.
            let fix = try #require(lines.first { $0.hasPrefix("  to bring it back: modimg-queue reorder beta") })
            var words = fix.dropFirst("  to bring it back: modimg-queue ".count).split(separator: " ").map(String.init)
            #expect(words.suffix(2) == ["--db", cli.db])
            words.removeLast(2)
            #expect(words == ["reorder", "beta"] + ids["beta"]! + ["--prune"])
            #expect(try await cli.run(words, environment: environment).status == 0)
            #expect(try await cli.run(["work", "--rate", "100/s", "--quiet"], environment: environment).status == 0)
            let after = try await cli.run(["verify", "beta"] + options, environment: environment)
            #expect(after.status == 0, "\(after.stdout)\(after.stderr)")
            #expect(after.stdout.hasPrefix("beta: in sync"))
        }
    }

    @Test func enqueueRefusesModsThePortalDoesNotKnowAndQueuesNothing() async throws {
        try await withSimulator({ $0.knownMods = ["alpha"] }) { sim, url in
            let cli = try CLIHarness()
            let (tree, _) = try cli.makeTree(["alpha": 1...1, "ghost": 2...2, "gone": 3...3])
            for dryRun in [["--dry-run"], []] {
                let result = try await cli.run(["enqueue", tree] + dryRun, environment: cli.workEnvironment(url))
                #expect(result.status == 1)
                #expect(errorLines(result.stderr).count == 1)
                #expect(result.stderr.contains("the portal has no mods named ghost, gone"))
                #expect(!FileManager.default.fileExists(atPath: cli.db), "a refused enqueue must not create the queue")
            }
            // --offline does not ask the portal.
            let before = sim.state().requests["full", default: 0]
            let offline = try await cli.run(["enqueue", tree, "--offline"], environment: cli.workEnvironment(url))
            #expect(offline.status == 0, "\(offline.stderr)")
            #expect(sim.state().requests["full", default: 0] == before)
            #expect(try await cli.total("queued") == 6)
        }
    }

    @Test func enqueueDryRunWritesThePlanAsAPageOfThumbnailsAndRefusesWhereItCannot() async throws {
        try await withSimulator { sim, url in
            let cli = try CLIHarness()
            let (tree, _) = try cli.makeTree(["alpha": 1...2])
            let page = cli.dir.file("plan.html")
            let result = try await cli.run(["enqueue", tree, "--dry-run", "--html", page], environment: cli.workEnvironment(url))
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("plan page: file://"))
            let html = try String(contentsOfFile: page, encoding: .utf8)
            let sources = html.components(separatedBy: "<img src=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
            #expect(sources == ["00.png", "01.png"].map { URL(fileURLWithPath: "\(tree)/alpha/\($0)").absoluteString })
            #expect(html.components(separatedBy: "class=\"to-upload\"").count == 3)
            #expect(!FileManager.default.fileExists(atPath: cli.db), "a dry run creates no queue")

            // Without --dry-run, or into a folder that does not exist: one sentence, nothing written.
            let elsewhere = cli.dir.file("missing/plan.html")
            let refusals = [
                (["--html", cli.dir.file("other.html")], "Error: --html writes the plan of a dry run; add --dry-run"),
                (["--dry-run", "--html", elsewhere], "modimg-queue: cannot write the plan page \(elsewhere): the folder"),
            ]
            for (arguments, sentence) in refusals {
                let refused = try await cli.run(["enqueue", tree] + arguments, environment: cli.workEnvironment(url))
                #expect(refused.status != 0)
                #expect(refused.stderr.split(separator: "\n").first?.hasPrefix(sentence) == true, "\(refused.stderr)")
            }
            #expect(!FileManager.default.fileExists(atPath: cli.dir.file("other.html")))
            #expect(!FileManager.default.fileExists(atPath: elsewhere))
            #expect(!FileManager.default.fileExists(atPath: cli.db))
        }
    }

    @Test func enqueueRefusesAFolderThatIsNotAModName() async throws {
        try await withSimulator { sim, url in
            let cli = try CLIHarness()
            let (tree, _) = try cli.makeTree(["alpha": 1...1, "My Mod!": 2...2])
            let result = try await cli.run(["enqueue", tree], environment: cli.workEnvironment(url))
            #expect(result.status == 1)
            #expect(errorLines(result.stderr).count == 1)
            #expect(result.stderr.contains("\"My Mod!\", which is not a valid mod name"))
            #expect(!FileManager.default.fileExists(atPath: cli.db))
            #expect(sim.state().requests["full", default: 0] == 0)
        }
    }

    @Test func enqueueAgainstAnUnreachablePortalFailsAtOnceWithOneSentence() async throws {
        let cli = try CLIHarness()
        let (tree, _) = try cli.makeTree(["alpha": 1...2, "beta": 3...3])
        for dryRun in [["--dry-run"], []] {
            let result = try await cli.run(["enqueue", tree, "--portal-url", "http://127.0.0.1:1"] + dryRun)
            #expect(result.status == 1)
            let lines = errorLines(result.stderr)
            #expect(lines.count == 1, "\(result.stderr)")
            #expect(lines.first?.contains("cannot reach the portal at http://127.0.0.1:1 (connection refused by 127.0.0.1:1: nothing listens there)") == true)
            #expect(lines.first?.contains("--portal-url") == true && lines.first?.contains("--offline") == true)
            #expect(!result.stdout.contains("planned from this database's history"), "no silent fall-back")
            #expect(!FileManager.default.fileExists(atPath: cli.db))
        }
    }
}
