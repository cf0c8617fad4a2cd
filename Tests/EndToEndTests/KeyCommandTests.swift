import Foundation
import ModPortalSim
import TestSupport
import Testing

/// `work --api-key-command CMD`: the key is what CMD prints, and is never shown anywhere.
@Suite struct KeyCommandTests {
    @Test func aKeyCommandGivesWorkItsKeyWhichAppearsInNoOutputLogOrDatabase() async throws {
        let secret = "cmd-KEY-9e1d4b7a"
        try await withSimulator({ $0.apiKey = secret }) { sim, url in
            let cli = try CLIHarness()
            let log = cli.dir.file("work.log")
            #expect(try await cli.runOffline(["upload", "m"] + (try cli.pngs(1...3))).status == 0)
            let work = try await cli.run(
                [
                    "work", "--verbose", "--rate", "100/s", "--portal-url", url.absoluteString, "--log-file", log,
                    "--api-key-command", "printf '  %s\\n' \(secret); echo more lines",
                ],
                environment: ["MOD_EDIT_API_KEY": "a-worse-key"])
            #expect(work.status == 0, "\(work.stderr)")
            #expect(try await cli.total("done") == 3)
            var everything = work.stdout + work.stderr + (try String(contentsOfFile: log, encoding: .utf8))
            for command in [["status", "--json"], ["history", "m", "--json"], ["log", "1", "--json"]] {
                let result = try await cli.run(command)
                everything += result.stdout + result.stderr
            }
            #expect(everything.contains("uploaded"), "\(everything)")
            #expect(!everything.contains(secret))
            for suffix in ["", "-wal", "-shm"] {
                if let bytes = FileManager.default.contents(atPath: cli.db + suffix) {
                    #expect(bytes.range(of: Data(secret.utf8)) == nil, "key found in database\(suffix)")
                }
            }
        }
    }

    struct BadCommand: Sendable, CustomTestStringConvertible {
        let name: String
        let command: String
        let says: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        BadCommand(name: "fails", command: "echo 'no such entry' >&2; exit 3", says: "exited with status 3 saying \"no such entry\""),
        BadCommand(name: "fails after printing", command: "printf 'leaked-KEY-3f9a\\n'; echo 'leaked-KEY-3f9a locked' >&2; exit 1", says: "exited with status 1"),
        BadCommand(name: "prints nothing", command: "true", says: "printed nothing"),
        BadCommand(name: "prints blank lines", command: "printf '\\n  \\n'", says: "printed nothing"),
        BadCommand(name: "prints a key with a space inside", command: "printf 'abc def\\n'", says: "spaces or control characters"),
        BadCommand(name: "cannot run", command: "/nonexistent/pass show k", says: "exited with status 127"),
    ])
    func aKeyCommandThatGivesNoKeyExitsTwoWithOneSentenceAndTouchesNothing(bad: BadCommand) async throws {
        let cli = try CLIHarness()
        #expect(try await cli.runOffline(["upload", "m"] + (try cli.pngs(1...1))).status == 0)
        let result = try await cli.run(["work", "--portal-url", "http://127.0.0.1:1", "--api-key-command", bad.command])
        #expect(result.status == 2, "\(result.status) \(result.stderr)")
        #expect(result.stderr.contains(bad.says), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(!result.stderr.contains("leaked-KEY-3f9a") && !result.stdout.contains("leaked-KEY-3f9a"), "\(result.stderr)")
        #expect(try await cli.total("queued") == 1)
    }

    @Test func aKeyFileAndAKeyCommandTogetherAreRefused() async throws {
        let cli = try CLIHarness()
        #expect(try await cli.runOffline(["upload", "m"] + (try cli.pngs(1...1))).status == 0)
        let keyFile = cli.dir.file("key")
        try Data("k\n".utf8).write(to: URL(fileURLWithPath: keyFile))
        chmod(keyFile, 0o600)
        let result = try await cli.run(
            ["work", "--portal-url", "http://127.0.0.1:1", "--api-key-file", keyFile, "--api-key-command", "printf k"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("pass only one"), "\(result.stderr)")
        #expect(try await cli.total("queued") == 1)
    }
}
