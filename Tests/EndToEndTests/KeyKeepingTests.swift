import Foundation
import ModPortalSim
import TestSupport
import Testing

/// The API key leaves `modimg-queue work` only in the `Authorization` header of `add` and
/// `edit`: not through what the portal echoes, nor through the `--on-finish` command.
@Suite struct KeyKeepingTests {
    static let key = "Zk3y-0123456789abcdef-SECRET"

    @Test func theOnFinishCommandRunsWithoutTheKeyInItsEnvironment() async throws {
        try await withSimulator({ $0.apiKey = Self.key }) { _, url in
            let cli = try CLIHarness()
            #expect(try await cli.runOffline(["upload", "m"] + (try cli.pngs(1...1))).status == 0)
            let hookOutput = cli.dir.file("hook-env.txt")
            let result = try await cli.run(
                ["work", "--rate", "50/s", "--on-finish", "env > '\(hookOutput)'"], environment: cli.workEnvironment(url, key: Self.key))
            #expect(result.status == 0, "\(result.stderr)")
            let environment = try String(contentsOfFile: hookOutput, encoding: .utf8)
            #expect(environment.contains("MODIMG_DONE=1"), "\(environment)")
            #expect(!environment.contains("MOD_EDIT_API_KEY"), "\(environment)")
            #expect(!environment.contains(Self.key))
        }
    }

    @Test func aPortalEchoingTheKeyShowsItInNoOutputLogOrCommand() async throws {
        try await withSimulator({
            $0.apiKey = Self.key
            $0.tricks.echoAuthorization = true
        }) { sim, url in
            let cli = try CLIHarness()
            #expect(try await cli.runOffline(["upload", "m"] + (try cli.pngs(1...1))).status == 0)
            let log = cli.dir.file("work.log")
            let work = try await cli.run(
                ["work", "--rate", "50/s", "--max-attempts", "2", "--retry-base", "0.01", "--events", "json", "--log-file", log, "-v"],
                environment: cli.workEnvironment(url, key: Self.key))
            #expect(work.status == 1, "\(work.stderr)")
            #expect((sim.state().tricks["echo-key"] ?? 0) > 0)
            var texts = ["work stdout": work.stdout, "work stderr": work.stderr]
            texts["log file"] = try String(contentsOfFile: log, encoding: .utf8)
            for command in [["status"], ["status", "--json"], ["jobs", "--json"], ["log", "1"], ["log", "1", "--json"]] {
                let result = try await cli.run(command)
                texts[command.joined(separator: " ")] = result.stdout + result.stderr
            }
            #expect(texts["log 1"]?.contains("[redacted]") == true, "\(texts["log 1"] ?? "")")
            for (name, text) in texts {
                #expect(!text.contains(Self.key), "\(name): \(text)")
            }
        }
    }
}
