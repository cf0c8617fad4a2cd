import Foundation
import ModPortalSim
import TestSupport
import Testing

/// What `work` and `status` show a person: a progress line on a terminal and none in a pipe,
/// the end-of-run summary with root causes and next steps, and the overnight options.
@Suite struct WorkOutputTests {
    /// Three uploads for `good`, one for `bad` (a mod the key may not change).
    func queueMixed(_ cli: CLIHarness) async throws {
        #expect(try await cli.runOffline(["upload", "good"] + (try cli.pngs(1...3))).status == 0)
        #expect(try await cli.runOffline(["upload", "bad"] + (try cli.pngs(4...4, prefix: "bad"))).status == 0)
    }

    @Test func onATerminalOneProgressLineIsRedrawnAboveWhichFinishedJobsArePrinted() async throws {
        try await withSimulator({ $0.latencyMilliseconds = 50 }) { _, url in
            let cli = try CLIHarness()
            #expect(try await cli.runOffline(["upload", "good"] + (try cli.pngs(1...3))).status == 0)
            let result = try await PseudoTerminal.run(
                Binaries.modimgQueue, ["work", "--rate", "50/s", "--db", cli.db], columns: 80,
                environment: cli.workEnvironment(url).merging(["NO_COLOR": "1"]) { $1 })
            #expect(result.status == 0, "\(result.stdout)")
            let screen = result.stdout
            #expect(screen.contains("\r\u{1B}[K"), "no line was redrawn: \(screen.debugDescription)")
            #expect(screen.contains("0/3 done") && screen.contains("2/3 done"), "\(screen.debugDescription)")
            #expect(screen.contains("requests at 50/s"))
            #expect(screen.contains("now good/image-"), "what is in flight is not shown")
            for seed in 1...3 { #expect(screen.contains("uploaded  good/image-\(seed).png")) }
            #expect(!screen.contains("\u{1B}[3"), "NO_COLOR was not honoured")
            // Every redrawn line fits the terminal.
            for piece in screen.components(separatedBy: "\r\u{1B}[K").dropFirst() {
                let line = piece.components(separatedBy: "\r\n")[0]
                #expect(line.count < 80, "\(line.debugDescription) is wider than the terminal")
            }
        }
    }

    @Test func intoAPipeThereAreOnlyPlainLinesAndASummaryNamingEachFailedModsRootCauseAndNextStep() async throws {
        try await withSimulator({ $0.forbiddenMods = ["bad"] }) { _, url in
            let cli = try CLIHarness()
            try await queueMixed(cli)
            let result = try await cli.run(["work", "--rate", "50/s", "--color", "auto"], environment: cli.workEnvironment(url))
            #expect(result.status == 1)
            #expect(!result.stderr.contains("\r") && !result.stderr.contains("\u{1B}["), "\(result.stderr.debugDescription)")
            #expect(!result.stdout.contains("\r") && !result.stdout.contains("\u{1B}["))
            #expect(result.stderr.contains("uploaded  good/image-1.png"))
            #expect(result.stderr.contains("FAILED    bad job 4: Forbidden"))
            let summary = result.stdout
            #expect(summary.contains("3 done, 1 failed, 0 cancelled; 7 requests sent."), "\(summary)")
            #expect(summary.contains("bad (1 job): Forbidden:"), "\(summary)")
            #expect(summary.contains("next: this key may not change bad"), "\(summary)")
            #expect(summary.contains("modimg-queue retry --failed --mod bad"), "\(summary)")
        }
    }

    @Test func statusNamesTheRootCauseNotTheDependencyFailure() async throws {
        try await withSimulator { _, url in
            let cli = try CLIHarness()
            let files = try cli.pngs(1...2)
            #expect(try await cli.runOffline(["upload", "m"] + files).status == 0)
            // The reorder waits for both uploads; the first upload's file then changes.
            let sha1s = [1, 2].map { ImageFixtures.sha1Hex(ImageFixtures.png(seed: $0)) }
            #expect(try await cli.runOffline(["reorder", "m"] + sha1s.reversed()).status == 0)
            try ImageFixtures.png(seed: 9).write(to: URL(fileURLWithPath: files[0]))
            let work = try await cli.run(["work", "--rate", "50/s"], environment: cli.workEnvironment(url))
            #expect(work.status == 1)
            let status = try await cli.run(["status"])
            #expect(status.stdout.hasPrefix("queue: \(cli.db)\n"), "\(status.stdout)")
            #expect(status.stdout.contains("FileChanged"), "\(status.stdout)")
            #expect(!status.stdout.contains("DependencyFailed"), "\(status.stdout)")
            let json = try await cli.statusJSON()
            let mod = (json["mods"] as? [[String: Any]])?.first
            #expect((mod?["last_error"] as? String)?.hasPrefix("FileChanged") == true)
            #expect(json["database"] as? String == cli.db)
            #expect(work.stdout.contains("m (2 jobs): FileChanged"), "\(work.stdout)")
        }
    }

    @Test func statusFitsANarrowTerminalShowsOnlyFailedModsWithFailedAndWholeRowsWithWide() async throws {
        try await withSimulator({ $0.forbiddenMods = ["bad"] }) { _, url in
            let cli = try CLIHarness()
            try await queueMixed(cli)
            _ = try await cli.run(["work", "--rate", "50/s"], environment: cli.workEnvironment(url))
            let narrow = try await PseudoTerminal.run(Binaries.modimgQueue, ["status", "--db", cli.db], columns: 60)
            let lines = narrow.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            // The root cause wraps under its column rather than being cut.
            #expect(!narrow.stdout.contains("…"), "\(narrow.stdout)")
            #expect(lines.joined(separator: " ").split(separator: " ").joined(separator: " ").contains("Insufficent permission for current endpoint"))
            // Columns holding nothing give way first.
            #expect(lines.contains { $0.hasPrefix("MOD ") && !$0.contains("QUEUED") && $0.contains("LAST ERROR") }, "\(narrow.stdout)")
            // The table fits; the opening lines (the path, the counts) are sentences, not cells.
            for line in lines.filter({ $0.hasPrefix("bad ") || $0.hasPrefix("good ") || $0.hasPrefix("MOD ") || $0.hasPrefix("    ") }) {
                #expect(line.count <= 60, "\(line.debugDescription)")
            }
            let wide = try await PseudoTerminal.run(Binaries.modimgQueue, ["status", "--wide", "--db", cli.db], columns: 60)
            #expect(wide.stdout.contains("Insufficent permission for current endpoint"), "\(wide.stdout)")
            let piped = try await cli.run(["status"])
            #expect(piped.stdout.contains("Insufficent permission for current endpoint"), "a pipe must get whole rows")
            let failedOnly = try await cli.run(["status", "--failed"])
            #expect(failedOnly.stdout.contains("\nbad ") && !failedOnly.stdout.contains("\ngood "), "\(failedOnly.stdout)")
        }
    }

    @Test func workOnAQueueWithNothingOpenSaysSoAndNamesTheDatabase() async throws {
        let cli = try CLIHarness()
        #expect(try await cli.runOffline(["upload", "m"] + (try cli.pngs(1...1))).status == 0)
        #expect(try await cli.run(["cancel", "1"]).status == 0)
        let result = try await cli.run(["work"], environment: cli.workEnvironment(URL(string: "http://127.0.0.1:1")!))
        #expect(result.status == 0)
        #expect(result.stdout == "nothing to do in \(cli.db): no job is queued or waiting for its upload.\n", "\(result.stdout)")
    }

    @Test func aPortalWhereNothingListensIsSaidInOneAccurateSentence() async throws {
        let cli = try CLIHarness()
        #expect(try await cli.runOffline(["upload", "m"] + (try cli.pngs(1...1))).status == 0)
        let result = try await cli.run(
            ["work", "--max-attempts", "1"], environment: cli.workEnvironment(URL(string: "http://127.0.0.1:1")!))
        #expect(result.status == 1)
        #expect(result.stderr.contains("connection refused by 127.0.0.1:1: nothing listens there"), "\(result.stderr)")
        #expect(!result.stderr.contains("reset") && !result.stderr.contains("errno"), "\(result.stderr)")
    }

    @Test func aRefusedKeyIsReportedOnceShownByStatusAndClearedByAWorkingKey() async throws {
        try await withSimulator { _, url in
            let cli = try CLIHarness()
            #expect(try await cli.runOffline(["upload", "m"] + (try cli.pngs(1...2))).status == 0)
            let refused = try await cli.run(["work", "--rate", "50/s"], environment: cli.workEnvironment(url, key: "wrong-key"))
            #expect(refused.status == 2)
            #expect(refused.stderr.components(separatedBy: "refused the API key").count == 2, "\(refused.stderr)")
            #expect(try await cli.run(["log", "1"]).stdout.contains("worker stopped: the portal refused the API key"))
            let status = try await cli.run(["status"])
            #expect(status.stdout.contains("the portal refused the API key at"), "\(status.stdout)")
            #expect((try await cli.statusJSON()["key_refused"] as? [String: Any]) != nil)
            let fixed = try await cli.run(["work", "--rate", "50/s"], environment: cli.workEnvironment(url))
            #expect(fixed.status == 0, "\(fixed.stderr)")
            #expect(!(try await cli.run(["status"])).stdout.contains("refused the API key"))
        }
    }

    @Test func eventsAsJSONLinesALogFileAndAnOnFinishCommand() async throws {
        try await withSimulator { _, url in
            let cli = try CLIHarness()
            #expect(try await cli.runOffline(["upload", "m"] + (try cli.pngs(1...2))).status == 0)
            let log = cli.dir.file("work.log")
            let hookOutput = cli.dir.file("hook.txt")
            let result = try await cli.run(
                ["work", "--rate", "50/s", "--events", "json", "--log-file", log,
                 "--on-finish", "echo \"$MODIMG_DONE $MODIMG_FAILED $MODIMG_REQUESTS\" > '\(hookOutput)'"],
                environment: cli.workEnvironment(url))
            #expect(result.status == 0, "\(result.stderr)")
            let objects = try result.stdout.split(separator: "\n").map {
                try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            }
            #expect(objects.allSatisfy { $0["event"] is String && ($0["at"] as? String)?.firstMatch(of: #/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/#) != nil })
            let uploaded = objects.filter { $0["event"] as? String == "uploaded" }
            #expect(uploaded.count == 2)
            #expect(uploaded.allSatisfy { ($0["id"] as? String)?.count == 40 && $0["mod"] as? String == "m" })
            #expect(objects.last?["event"] as? String == "finished")
            #expect(result.stderr.contains("finished in"), "with --events json the summary goes to stderr")
            let logged = try String(contentsOfFile: log, encoding: .utf8)
            #expect(logged.contains("uploaded  m/image-1.png") && logged.contains("finished in"), "\(logged)")
            #expect(try String(contentsOfFile: hookOutput, encoding: .utf8) == "2 0 4\n")
        }
    }

    @Test func followSaysWhenItStartsAndWhenTheQueueDrainsAndRunsTheHookEachTime() async throws {
        try await withSimulator { _, url in
            let cli = try CLIHarness()
            #expect(try await cli.runOffline(["upload", "m"] + (try cli.pngs(1...1))).status == 0)
            let hookOutput = cli.dir.file("hook.txt")
            let worker = try cli.start(
                ["work", "--follow", "--rate", "50/s", "--on-finish", "echo $MODIMG_DONE >> '\(hookOutput)'"],
                environment: cli.workEnvironment(url))
            var drained = false
            for _ in 0..<500 where !drained {
                drained = (try? String(contentsOfFile: hookOutput, encoding: .utf8)) == "1\n"
                if !drained { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(drained, "the hook did not run when the queue drained")
            #expect(try await cli.runOffline(["upload", "m"] + (try cli.pngs(2...2))).status == 0)
            var again = false
            for _ in 0..<500 where !again {
                again = (try? String(contentsOfFile: hookOutput, encoding: .utf8)) == "1\n2\n"
                if !again { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(again, "the hook did not run when the queue drained again")
            worker.kill(SIGINT)
            let result = await worker.wait()
            #expect(result.status == 130)
            // Stopped, not "finished": the queue did not end the run, Ctrl-C did.
            #expect(result.stdout.contains("stopped after") && result.stdout.contains("(interrupted;"), "\(result.stdout)")
            #expect(!result.stdout.contains("finished in"), "\(result.stdout)")
            #expect(result.stderr.contains("working \(cli.db) against"), "\(result.stderr)")
            #expect(result.stderr.contains("then waiting for more (--follow)"))
            #expect(result.stderr.components(separatedBy: "the queue is drained; waiting for new jobs").count == 3, "\(result.stderr)")
        }
    }

    @Test func aWorkerWaitingForAnotherWorkersClaimSaysWhichJobAndWhoHoldsIt() async throws {
        try await withSimulator({ $0.faults = FaultPlan([.slow: 1], slowMilliseconds: 3000, calls: [.add]) }) { sim, url in
            let cli = try CLIHarness()
            #expect(try await cli.runOffline(["upload", "m"] + (try cli.pngs(1...1))).status == 0)
            // A lease long enough that the waiter, however late it starts on a busy machine, still waits.
            let holder = try cli.start(["work", "--lease", "10", "--rate", "50/s"], environment: cli.workEnvironment(url))
            for _ in 0..<500 where (sim.state().requests["add"] ?? 0) == 0 { try await Task.sleep(for: .milliseconds(20)) }
            holder.kill(SIGSTOP)
            defer {
                holder.kill(SIGCONT)
                holder.kill(SIGKILL)
            }
            let waiter = try await PseudoTerminal.run(
                Binaries.modimgQueue, ["work", "--rate", "50/s", "--db", cli.db], columns: 200, environment: cli.workEnvironment(url))
            #expect(waiter.stdout.contains("waiting for job 1's claim (held by "), "\(waiter.stdout.debugDescription)")
            #expect(waiter.stdout.contains(" pid \(holder.process.processIdentifier) until "), "\(waiter.stdout.debugDescription)")
        }
    }
}
