import Foundation
import TestSupport
import Testing

/// The shell completions ask the binary for mod names and job ids, as the scripts
/// `--generate-completion-script` writes do: `modimg-queue ---completion <subcommand> --
/// <argument> <word-index> <cursor-index> <the words of the line>`.
@Suite struct QueueCompletionTests {
    /// What the completion of the last word of `line` (after `modimg-queue`) offers.
    static func complete(_ subcommand: String, _ argument: String, line: [String]) async throws -> CommandResult {
        let words = ["modimg-queue"] + line
        return try await CommandRunner.run(
            Binaries.modimgQueue,
            ["---completion", subcommand, "--", argument, "\(words.count - 1)", "\(words.last?.count ?? 0)"] + words)
    }

    @Test func modArgumentsAndModOptionsOfferTheQueuesMods() async throws {
        let cli = try CLIHarness()
        #expect(try await cli.runOffline(["upload", "beta-mod"] + (try cli.pngs(1...1))).status == 0)
        #expect(try await cli.runOffline(["upload", "alpha-mod"] + (try cli.pngs(2...3))).status == 0)
        for (subcommand, argument, line) in [
            ("history", "positional@0", ["history", "--db", cli.db, ""]),
            ("upload", "positional@0", ["upload", "--db", cli.db, ""]),
            ("verify", "positional@0", ["verify", "--db=\(cli.db)", ""]),
            ("status", "--mod", ["status", "--db", cli.db, "--mod", ""]),
            ("jobs", "--mod", ["jobs", "--db", cli.db, "--mod", ""]),
        ] {
            let result = try await Self.complete(subcommand, argument, line: line)
            #expect(result.status == 0, "\(subcommand): \(result.stderr)")
            #expect(result.stdout.split(separator: "\n") == ["alpha-mod", "beta-mod"], "\(subcommand): \(result.stdout)")
        }
        let typed = try await Self.complete("history", "positional@0", line: ["history", "--db", cli.db, "al"])
        #expect(typed.stdout.split(separator: "\n") == ["alpha-mod"], "\(typed.stdout)")
    }

    @Test func jobIdArgumentsOfferTheJobsEachCommandTakes() async throws {
        let cli = try CLIHarness()
        #expect(try await cli.runOffline(["upload", "beta-mod"] + (try cli.pngs(1...1))).status == 0)
        #expect(try await cli.runOffline(["upload", "alpha-mod"] + (try cli.pngs(2...3))).status == 0)
        #expect(try await cli.run(["cancel", "2"]).status == 0)
        let log = try await Self.complete("log", "positional@0", line: ["log", "--db", cli.db, ""])
        #expect(log.stdout.split(separator: "\n") == ["3", "2", "1"], "\(log.stdout) \(log.stderr)")
        let cancel = try await Self.complete("cancel", "positional@0", line: ["cancel", "--db", cli.db, ""])
        #expect(cancel.stdout.split(separator: "\n") == ["3", "1"], "only queued jobs can be cancelled: \(cancel.stdout)")
        let retry = try await Self.complete("retry", "positional@0", line: ["retry", "--db", cli.db, ""])
        #expect(retry.status == 0 && retry.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "nothing failed: \(retry.stdout)")
    }

    @Test func withNoQueueTheCompletionsOfferNothingAndCreateNothing() async throws {
        let dir = try TemporaryDirectory("completion")
        let db = dir.file("none.sqlite3")
        for (subcommand, line) in [("history", ["history", "--db", db, ""]), ("log", ["log", "--db", db, ""])] {
            let result = try await Self.complete(subcommand, "positional@0", line: line)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(result.stdout)")
            #expect(result.stderr.isEmpty, "\(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: db))
    }
}
