import Foundation
import ModPortalSim
import TestSupport
import Testing

/// Nothing a person acts on is cut on an 80-column terminal: the end-of-run summary wraps (and
/// the log file holds it whole), and `status`, `history` and `jobs` fit the terminal by one rule
/// that keeps mod names, ids, file names and causes whole.
@Suite struct TerminalFitTests {
    /// The screen's lines (a pseudo-terminal ends them with `\r\n`).
    func lines(_ screen: String) -> [String] {
        screen.components(separatedBy: "\r\n").filter { !$0.isEmpty }
    }

    func collapsed(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
    }

    /// An upload for `helmod-themes` (a mod the key may not change) from a deep folder, and one
    /// for `clock-display` that works; the worker has run.
    func queueAndWork(_ cli: CLIHarness, _ url: URL, log: String? = nil, columns: Int = 80) async throws -> CommandResult {
        let deep = cli.dir.url.appendingPathComponent("factorio/screenshots/round2")
        try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
        let bad = try ImageFixtures.writePNG(seed: 1, to: deep, name: "ore-extra.png")
        #expect(try await cli.runOffline(["upload", "helmod-themes", bad]).status == 0)
        #expect(try await cli.runOffline(["upload", "clock-display"] + (try cli.pngs(2...3))).status == 0)
        return try await PseudoTerminal.run(
            Binaries.modimgQueue, ["work", "--rate", "50/s", "--db", cli.db] + (log.map { ["--log-file", $0] } ?? []), columns: columns,
            environment: cli.workEnvironment(url).merging(["NO_COLOR": "1"]) { $1 })
    }

    @Test func theSummaryWrapsAtEightyColumnsWithAnIndentAndTheLogFileHoldsItWholeAndStamped() async throws {
        try await withSimulator({ $0.forbiddenMods = ["helmod-themes"] }) { _, url in
            let cli = try CLIHarness()
            let log = cli.dir.file("work.log")
            let work = try await queueAndWork(cli, url, log: log)
            #expect(work.status == 1)
            let screen = work.stdout
            let start = try #require(screen.range(of: "finished in"), "\(screen.debugDescription)")
            let shown = lines(String(screen[start.lowerBound...]))
            #expect(shown.allSatisfy { $0.count <= 80 }, "\(shown)")
            #expect(!shown.joined().contains("…"), "\(shown)")
            #expect(shown.contains { $0.hasPrefix("  helmod-themes (1 job): Forbidden: add:") }, "\(shown)")
            // Continuation lines keep an indent: under the cause, and deeper under the advice.
            #expect(shown.contains { $0.hasPrefix("    ") && !$0.hasPrefix("    next:") }, "the cause did not wrap: \(shown)")
            let advice = try #require(shown.firstIndex { $0.hasPrefix("    next: ") }, "\(shown)")
            #expect(shown.count > advice + 1 && shown[advice + 1].hasPrefix(String(repeating: " ", count: 10)), "\(shown)")

            // The log file: every line whole, the summary too, each with its time.
            let logged = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
            let stamp = #/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d /#
            #expect(logged.allSatisfy { $0.firstMatch(of: stamp) != nil }, "\(logged)")
            let summary = try #require(logged.firstIndex { $0.contains(" finished in") }, "\(logged)")
            let whole = logged[summary...].map { $0.replacing(stamp, with: "") }
            #expect(whole.contains("  helmod-themes (1 job): Forbidden: add: Insufficent permission for current endpoint"), "\(whole)")
            #expect(collapsed(whole.joined(separator: "\n")) == collapsed(shown.joined(separator: "\n")), "the screen's summary, unwrapped, is the log's")
        }
    }

    @Test func statusAtEightyColumnsKeepsModNamesAndTheRootCauseWhole() async throws {
        try await withSimulator({ $0.forbiddenMods = ["helmod-themes"] }) { _, url in
            let cli = try CLIHarness()
            _ = try await queueAndWork(cli, url)
            let status = try await PseudoTerminal.run(Binaries.modimgQueue, ["status", "--db", cli.db], columns: 80)
            let table = lines(status.stdout).drop { !$0.hasPrefix("MOD ") }
            #expect(table.allSatisfy { $0.count <= 80 }, "\(status.stdout)")
            #expect(!table.joined().contains("…"), "\(status.stdout)")
            #expect(table.contains { $0.hasPrefix("helmod-themes ") } && table.contains { $0.hasPrefix("clock-display ") }, "\(status.stdout)")
            #expect(collapsed(table.joined(separator: " ")).contains("Forbidden: add: Insufficent permission for current endpoint"))
            #expect(!table.first!.contains("QUEUED") && !table.first!.contains("CANCELLED"), "all-zero columns give way first")
            // status --failed: the next step under the table, wrapped with its indent, never cut.
            let failed = try await PseudoTerminal.run(Binaries.modimgQueue, ["status", "--failed", "--db", cli.db], columns: 80)
            let advice = lines(failed.stdout).drop { !$0.hasPrefix("    next: ") }
            #expect(advice.count > 1 && advice.allSatisfy { $0.count <= 80 }, "\(failed.stdout)")
            #expect(!failed.stdout.contains("…"), "\(failed.stdout)")
            #expect(advice.dropFirst().first?.hasPrefix(String(repeating: " ", count: 10)) == true, "\(failed.stdout)")
            #expect(collapsed(advice.joined(separator: " ")).contains("modimg-queue retry --failed --mod helmod-themes"), "\(failed.stdout)")
        }
    }

    @Test func historyAtEightyColumnsKeepsIdsAndFileNamesAndSaysWhichColumnsItLeftOut() async throws {
        try await withSimulator { _, url in
            let cli = try CLIHarness()
            let deep = cli.dir.url.appendingPathComponent("factorio/screenshots/round2")
            try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
            let file = try ImageFixtures.writePNG(seed: 5, to: deep, name: "ore-extra.png")
            #expect(try await cli.runOffline(["upload", "m", file]).status == 0)
            #expect(try await cli.run(["work", "--rate", "50/s"], environment: cli.workEnvironment(url)).status == 0)
            let id = ImageFixtures.sha1Hex(ImageFixtures.png(seed: 5))
            let history = try await PseudoTerminal.run(Binaries.modimgQueue, ["history", "m", "--db", cli.db], columns: 80)
            let shown = lines(history.stdout)
            #expect(shown.allSatisfy { $0.count <= 80 }, "\(history.stdout)")
            let row = try #require(shown.first { $0.hasPrefix(id + " ") }, "the image id is cut: \(history.stdout)")
            #expect(row.hasSuffix("/round2/ore-extra.png"), "the path keeps its end: \(history.stdout)")
            #expect(shown.last == "URL and THUMBNAIL left out to fit 80 columns; --wide shows them.", "\(history.stdout)")
            let piped = try await cli.run(["history", "m"])
            #expect(piped.stdout.contains(file) && piped.stdout.contains("http://"), "a pipe gets whole rows: \(piped.stdout)")
        }
    }

    @Test func jobsWithALimitFitsEightyColumnsKeepingFileNamesAndErrorsWhole() async throws {
        try await withSimulator { _, url in
            let cli = try CLIHarness()
            let deep = cli.dir.url.appendingPathComponent("factorio/screenshots/for-the-portal/round2")
            try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
            let files = try (1...6).map { try ImageFixtures.writePNG(seed: $0, to: deep, name: "ore-extra-\($0).png") }
            #expect(try await cli.runOffline(["upload", "helmod-themes"] + files).status == 0)
            try ImageFixtures.png(seed: 99).write(to: URL(fileURLWithPath: files[5]))
            _ = try await cli.run(["work", "--rate", "100/s"], environment: cli.workEnvironment(url))
            let jobs = try await PseudoTerminal.run(Binaries.modimgQueue, ["jobs", "--limit", "5", "--db", cli.db], columns: 80)
            #expect(jobs.status == 0)
            let shown = lines(jobs.stdout)
            // A word wider than the room (the path inside an error) keeps a line of its own, whole.
            #expect(shown.allSatisfy { $0.count <= 80 || !$0.trimmingCharacters(in: .whitespaces).contains(" ") }, "\(jobs.stdout)")
            #expect(shown.first?.hasPrefix("ID ") == true, "\(jobs.stdout)")
            for seed in 2...6 { #expect(shown.contains { $0.hasSuffix("/ore-extra-\(seed).png") || $0.contains("/ore-extra-\(seed).png ") }, "\(jobs.stdout)") }
            let error = try #require(try await cli.run(["jobs", "--state", "failed", "--json"]).stdout.firstMatch(of: #/"error" : "([^"]+)"/#)?.1)
            #expect(collapsed(shown.joined(separator: " ")).contains(String(error)), "the error is whole: \(jobs.stdout)")
            let piped = try await cli.run(["jobs", "--limit", "5"])
            #expect(piped.stdout.contains(files[5]), "a pipe gets whole rows: \(piped.stdout)")
        }
    }
}
