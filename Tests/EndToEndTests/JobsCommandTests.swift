import Foundation
import ModPortalSim
import TestSupport
import Testing

/// `jobs`, `log --json`, `remove`, `cancel --failed` and the filtered `prune`, through the built binary.
@Suite struct JobsCommandTests {
    static let jobKeys: Set<String> = ["id", "mod", "kind", "state", "attempts", "file", "error", "next_attempt_at"]

    func json(_ result: CommandResult) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }

    func jobs(_ cli: CLIHarness, _ arguments: [String] = []) async throws -> [[String: Any]] {
        let result = try await cli.run(["jobs", "--json"] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return try json(result) as? [[String: Any]] ?? []
    }

    func ids(_ jobs: [[String: Any]]) -> [Int] { jobs.compactMap { $0["id"] as? Int } }

    /// Uploads for `m` (jobs 1, 2, 4) and `n` (job 3); the files of jobs 1 and 3 change after
    /// they are queued, so `work` fails those two and uploads the others. Returns the paths.
    func queueWithFailures(_ cli: CLIHarness, _ url: URL) async throws -> [String] {
        let files = try cli.pngs(1...4)
        #expect(try await cli.runOffline(["upload", "m", files[0], files[1]]).status == 0)
        #expect(try await cli.runOffline(["upload", "n", files[2]]).status == 0)
        #expect(try await cli.runOffline(["upload", "m", files[3]]).status == 0)
        for changed in [files[0], files[2]] {
            try ImageFixtures.png(seed: 99).write(to: URL(fileURLWithPath: changed))
        }
        let work = try await cli.run(["work", "--rate", "100/s"], environment: cli.workEnvironment(url))
        #expect(work.status == 1, "\(work.stderr)")
        return files
    }

    @Test func jobsListsTheFailedJobsAndFiltersByModKindAndLimit() async throws {
        try await withSimulator { _, url in
            let cli = try CLIHarness()
            let files = try await queueWithFailures(cli, url)
            let failed = try await jobs(cli, ["--state", "failed"])
            #expect(ids(failed) == [3, 1])
            for job in failed {
                #expect(Set(job.keys) == Self.jobKeys)
                #expect(job["state"] as? String == "failed")
                #expect(job["kind"] as? String == "upload")
                #expect((job["error"] as? String)?.hasPrefix("FileChanged: ") == true)
                #expect(job["next_attempt_at"] is NSNull)
            }
            #expect(failed.map { $0["file"] as? String } == [files[2], files[0]])
            #expect(failed.map { $0["mod"] as? String } == ["n", "m"])
            // The same jobs as the unfiltered list holds in that state.
            let all = try await jobs(cli)
            #expect(ids(all) == [4, 3, 2, 1])
            #expect(ids(all.filter { $0["state"] as? String == "failed" }) == ids(failed))
            #expect(all.filter { $0["state"] as? String == "done" }.allSatisfy { $0["error"] is NSNull })

            #expect(ids(try await jobs(cli, ["--mod", "m"])) == [4, 2, 1])
            #expect(ids(try await jobs(cli, ["--mod", "m", "--state", "done"])) == [4, 2])
            #expect(ids(try await jobs(cli, ["--limit", "2"])) == [4, 3])
            #expect(ids(try await jobs(cli, ["--kind", "reorder"])) == [])
            let shas = [files[1], files[3]].map { try? Data(contentsOf: URL(fileURLWithPath: $0)) }.compactMap { $0 }
                .map(ImageFixtures.sha1Hex)
            #expect(try await cli.runOffline(["reorder", "m"] + shas).status == 0)
            let reorders = try await jobs(cli, ["--kind", "reorder"])
            #expect(ids(reorders) == [5])
            #expect(reorders.first?["file"] is NSNull)
            #expect(reorders.first.map { Set($0.keys) } == Self.jobKeys)

            let table = try await cli.run(["jobs", "--state", "failed"])
            #expect(table.status == 0)
            let lines = table.stdout.split(separator: "\n")
            #expect(lines.count == 3)
            #expect(lines.first?.hasPrefix("ID") == true)
            #expect(lines.dropFirst().allSatisfy { $0.contains("FileChanged: ") && $0.contains(" failed ") })
        }
    }

    @Test func logJSONHasTheJobAndItsEvents() async throws {
        try await withSimulator { _, url in
            let cli = try CLIHarness()
            _ = try await queueWithFailures(cli, url)
            let result = try await cli.run(["log", "1", "--json"])
            #expect(result.status == 0, "\(result.stderr)")
            let log = try #require(try json(result) as? [String: Any])
            #expect(Set(log.keys) == ["job", "events", "next_step"])
            #expect((log["next_step"] as? String)?.isEmpty == false, "a failed job says what to do")
            let job = try #require(log["job"] as? [String: Any])
            #expect(Set(job.keys) == Self.jobKeys.union(["image_ids", "removed_ids"]))
            #expect(job["id"] as? Int == 1)
            #expect(job["state"] as? String == "failed")
            #expect(job["image_ids"] is NSNull)
            let events = try #require(log["events"] as? [[String: Any]])
            #expect(events.allSatisfy { Set($0.keys) == ["at", "from", "to", "reason"] })
            #expect(events.first?["from"] is NSNull)
            #expect(events.map { $0["to"] as? String } == ["queued", "failed"])
            #expect((events.last?["reason"] as? String)?.hasPrefix("FileChanged: ") == true)
            #expect((events.first?["at"] as? String)?.firstMatch(of: #/T\d\d:\d\d:\d\d[+-]\d\d:\d\d$/#) != nil)
            let unknown = try await cli.run(["log", "99", "--json"])
            #expect(unknown.status == 1)
            #expect(unknown.stdout.isEmpty)
            #expect(unknown.stderr.contains("there is no job 99"))
        }
    }

    @Test func invalidStatesAndKindsAreRefusedByArgumentParsing() async throws {
        let cli = try CLIHarness()
        #expect(try await cli.runOffline(["upload", "m", try cli.pngs(1...1)[0]]).status == 0)
        for (arguments, expected) in [
            (["jobs", "--state", "stuck"], "is invalid for '--state <state>'"),
            (["jobs", "--kind", "delete"], "is invalid for '--kind <kind>'"),
            (["jobs", "--limit", "0"], "--limit must be at least 1"),
            (["prune", "--state", "queued"], "is invalid for '--state <state>'"),
            (["prune"], "say which finished jobs to remove"),
            (["cancel", "--failed", "--mod", "m", "1"], "give failed job ids or --mod, not both"),
        ] {
            let result = try await cli.run(arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains(expected), "\(arguments): \(result.stderr)")
            let sentences = result.stderr.split(separator: "\n").filter {
                !$0.hasPrefix("Usage:") && !$0.hasPrefix("  See '") && !$0.hasPrefix("Help:") && !$0.isEmpty
            }
            #expect(sentences.count == 1, "\(arguments): \(result.stderr)")
        }
        #expect(try await cli.total("queued") == 1)
    }

    @Test func removeTakesImagesOutOfTheLiveGalleryKeepingTheOthersInOrder() async throws {
        try await withSimulator { sim, url in
            let cli = try CLIHarness()
            let gallery = sim.seedGallery(mod: "m", images: (1...4).map { ImageFixtures.png(seed: $0) })
            let file = try cli.pngs(3...3)[0]
            for bad in [["remove", "m", "1234"], ["remove", "m", cli.dir.file("gone.png")], ["remove", "bad mod", gallery[0]]] {
                let refused = try await cli.run(bad)
                #expect(refused.status == 1, "\(bad)")
                #expect(refused.stderr.split(separator: "\n").count == 1, "\(bad): \(refused.stderr)")
            }
            if FileManager.default.fileExists(atPath: cli.db) { #expect(try await jobs(cli).isEmpty) }
            let queued = try await cli.runOffline(["remove", "m", gallery[1].uppercased(), file])
            #expect(queued.status == 0, "\(queued.stderr)")
            #expect(queued.stdout.contains("job 1"))
            let work = try await cli.run(["work", "--rate", "100/s"], environment: cli.workEnvironment(url))
            #expect(work.status == 0, "\(work.stderr)")
            #expect(sim.state().galleries["m"] == [gallery[0], gallery[3]])
            let log = try await cli.run(["log", "1", "--json"])
            let job = try #require((try json(log) as? [String: Any])?["job"] as? [String: Any])
            #expect(job["removed_ids"] as? [String] == [gallery[1], gallery[2]])
            #expect(job["image_ids"] as? [String] == [])
            #expect(job["state"] as? String == "done")
        }
    }

    @Test func cancelFailedOfOneModLeavesTheOtherModsFailures() async throws {
        try await withSimulator { _, url in
            let cli = try CLIHarness()
            _ = try await queueWithFailures(cli, url)
            let result = try await cli.run(["cancel", "--failed", "--mod", "m"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("cancelled: job 1."))
            #expect(ids(try await jobs(cli, ["--state", "failed"])) == [3])
            #expect(ids(try await jobs(cli, ["--state", "cancelled"])) == [1])
            #expect(try await cli.total("failed") == 1)
            let log = try await cli.run(["log", "1"])
            #expect(log.stdout.contains("failed -> cancelled  failure set aside: cancelled by request"))
        }
    }

    @Test func pruneDryRunRemovesNothingAndPruneByModAndStateRemovesOnlyThose() async throws {
        try await withSimulator { _, url in
            let cli = try CLIHarness()
            _ = try await queueWithFailures(cli, url)
            #expect(try await cli.run(["cancel", "--failed"]).status == 0)
            let dry = try await cli.run(["prune", "--state", "cancelled", "--dry-run"])
            #expect(dry.status == 0, "\(dry.stderr)")
            #expect(
                dry.stdout == """
                    would remove 1 cancelled job of m
                    would remove 1 cancelled job of n
                    would remove 2 finished jobs; nothing was removed.

                    """)
            #expect(ids(try await jobs(cli)) == [4, 3, 2, 1])
            let pruned = try await cli.run(["prune", "--mod", "m", "--state", "cancelled"])
            #expect(pruned.status == 0, "\(pruned.stderr)")
            #expect(pruned.stdout == "removed 1 cancelled job of m\nremoved 1 finished job.\n")
            #expect(ids(try await jobs(cli)) == [4, 3, 2])
            let everythingOfM = try await cli.run(["prune", "--mod", "m", "--dry-run"])
            #expect(everythingOfM.stdout.hasPrefix("would remove 2 done jobs of m\n"))
            #expect(ids(try await jobs(cli)) == [4, 3, 2])
        }
    }

    /// More jobs than one page of `jobs`'s reading (1,000): printed whole, in order, each once.
    @Test func jobsPrintsAQueueOfManyPagesWholeAndInOrder() async throws {
        let cli = try CLIHarness()
        #expect(try await cli.runOffline(["upload", "m", try cli.pngs(1...1)[0]]).status == 0)
        let inserted = try CommandRunner.runBlocking(
            "/usr/bin/env",
            [
                "python3", "-c",
                """
                import sqlite3, sys
                c = sqlite3.connect(sys.argv[1])
                c.executemany("INSERT INTO jobs (kind, mod, state, file_path, file_sha1, file_size, created_at, updated_at, finished_at) "
                              "VALUES ('upload', 'n', 'done', ?, ?, 1, 0, 0, 0)", [(f"/shots/{i}.png", f"{i:040x}") for i in range(2, 2501)])
                c.commit()
                """,
                cli.db,
            ])
        #expect(inserted == 0)
        let result = try await cli.run(["jobs", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("[\n  {\n") && result.stdout.hasSuffix("\n  }\n]\n"))
        let all = ids(try json(result) as? [[String: Any]] ?? [])
        #expect(all == Array((1...2500).reversed()))
        #expect(ids(try await jobs(cli, ["--limit", "1500"])) == Array((1001...2500).reversed()))
        #expect(ids(try await jobs(cli, ["--oldest-first", "--limit", "1001"])) == Array(1...1001))
        #expect(ids(try await jobs(cli, ["--mod", "m"])) == [1])
        #expect(try await jobs(cli, ["--mod", "nobody"]).isEmpty)

        let table = try await cli.run(["jobs"])
        #expect(table.status == 0)
        let lines = table.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("ID  ") == true)
        #expect(lines.count == 2501)
        #expect(lines.dropFirst().compactMap { Int($0.prefix { $0 != " " }) } == all)
        #expect(try await cli.run(["jobs", "--mod", "nobody"]).stdout == "no jobs match.\n")
    }

    /// A file name the table shows is sanitised as the portal's text is: no escape sequence, one
    /// line, no credential; a plain one as it is.
    @Test func jobsShowsAFileNameWithoutEscapesOrCredentials() async throws {
        let cli = try CLIHarness()
        let plain = try cli.pngs(1...1)[0]
        #expect(try await cli.runOffline(["upload", "m", plain]).status == 0)
        let inserted = try CommandRunner.runBlocking(
            "/usr/bin/env",
            [
                "python3", "-c",
                """
                import sqlite3, sys
                c = sqlite3.connect(sys.argv[1])
                c.execute("INSERT INTO jobs (kind, mod, state, file_path, file_sha1, file_size, created_at, updated_at) "
                          "VALUES ('upload', 'h', 'queued', ?, ?, 1, 0, 0)", ("/shots/\\x1b[31mred  \\u202eand Bearer abc123.png", "f" * 40))
                c.commit()
                """,
                cli.db,
            ])
        #expect(inserted == 0)
        let table = try await cli.run(["jobs"])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(!table.stdout.contains("\u{1B}") && !table.stdout.contains("\u{202E}") && !table.stdout.contains("abc123"))
        #expect(table.stdout.contains("/shots/red and Bearer [redacted]"), "\(table.stdout)")
        #expect(table.stdout.contains(plain))
    }
}
