import Foundation
import ModPortalSim
import TestSupport
import Testing

/// `$XDG_CONFIG_HOME/modimg-queue/config.toml`: defaults below options and environment variables,
/// and a wrong file refused before anything is done.
@Suite struct ConfigFileTests {
    /// A folder to be `XDG_CONFIG_HOME`, with `text` as its config file.
    static func configHome(_ dir: TemporaryDirectory, _ text: String) throws -> (home: String, file: String) {
        let folder = dir.url.appendingPathComponent("config/modimg-queue")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("config.toml")
        try Data(text.utf8).write(to: file)
        chmod(file.path, 0o600)
        return (dir.file("config"), file.path)
    }

    static func run(_ arguments: [String], _ environment: [String: String]) async throws -> CommandResult {
        try await CommandRunner.run(Binaries.modimgQueue, arguments, environment: environment)
    }

    @Test func theConfigFilesDatabaseIsTheDefaultBelowTheEnvironmentAndDb() async throws {
        let dir = try TemporaryDirectory("config")
        let (home, file) = try Self.configHome(dir, "database = \"queues/from-config.sqlite3\"\n")
        let fromConfig = ((file as NSString).deletingLastPathComponent as NSString).appendingPathComponent("queues/from-config.sqlite3")
        try FileManager.default.createDirectory(
            atPath: (fromConfig as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let image = try ImageFixtures.writePNG(seed: 1, to: dir.url, name: "1.png")
        let environment = ["XDG_CONFIG_HOME": home]

        let upload = try await Self.run(["upload", "m", image, "--offline"], environment)
        #expect(upload.status == 0, "\(upload.stderr)")
        #expect(FileManager.default.fileExists(atPath: fromConfig), "a relative database is relative to the config file's folder")
        let status = try await Self.run(["status"], environment)
        #expect(status.stdout.contains(fromConfig), "\(status.stdout)")

        let viaVariable = dir.file("from-variable.sqlite3")
        let overridden = try await Self.run(["upload", "m", image, "--offline"], environment.merging(["MODIMG_QUEUE_DB": viaVariable]) { $1 })
        #expect(overridden.status == 0 && FileManager.default.fileExists(atPath: viaVariable), "\(overridden.stderr)")
        let viaOption = dir.file("from-option.sqlite3")
        let optioned = try await Self.run(["upload", "m", image, "--offline", "--db", viaOption], environment.merging(["MODIMG_QUEUE_DB": viaVariable]) { $1 })
        #expect(optioned.status == 0 && FileManager.default.fileExists(atPath: viaOption), "\(optioned.stderr)")
    }

    @Test func theConfigFilesPortalRateAndKeyCommandRunWorkAndOptionsOverrideThem() async throws {
        let secret = "config-KEY-51c0ffee"
        try await withSimulator({ $0.apiKey = secret }) { sim, url in
            let cli = try CLIHarness()
            let (home, _) = try Self.configHome(
                cli.dir,
                """
                portal_url = "\(url.absoluteString)"
                rate = "100/s"
                concurrency = 2
                api_key_command = "printf '%s\\\\n' \(secret)"
                """)
            #expect(try await cli.runOffline(["upload", "m"] + (try cli.pngs(1...2))).status == 0)
            let work = try await cli.run(["work"], environment: ["XDG_CONFIG_HOME": home])
            #expect(work.status == 0, "\(work.stderr)")
            #expect((work.stdout + work.stderr).contains("against \(url.absoluteString) at 100/s"), "\(work.stderr)")
            #expect(try await cli.total("done") == 2)

            #expect(try await cli.runOffline(["upload", "m"] + (try cli.pngs(3...3))).status == 0)
            let overridden = try await cli.run(["work", "--rate", "50/s"], environment: ["XDG_CONFIG_HOME": home])
            #expect(overridden.status == 0, "\(overridden.stderr)")
            #expect((overridden.stdout + overridden.stderr).contains("at 50/s"), "\(overridden.stderr)")
            // A key in the environment comes before the config file's command: this one is refused.
            #expect(try await cli.runOffline(["upload", "m"] + (try cli.pngs(4...4))).status == 0)
            let environmentFirst = try await cli.run(["work"], environment: ["XDG_CONFIG_HOME": home, "MOD_EDIT_API_KEY": "not-the-key"])
            #expect(environmentFirst.status == 2, "\(environmentFirst.stderr)")
            #expect(environmentFirst.stderr.contains("refused the API key"), "\(environmentFirst.stderr)")
            #expect(!(work.stdout + work.stderr + overridden.stdout + overridden.stderr).contains(secret))
        }
    }

    struct BadConfig: Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        let line: Int
        let says: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        BadConfig(name: "not TOML", text: "rate = \"2/s\"\nconcurrency = = 3\n", line: 2, says: "not valid TOML"),
        BadConfig(name: "unknown key", text: "rate = \"2/s\"\n\nportal = \"https://x\"\n", line: 3, says: "not a known key"),
        BadConfig(name: "wrong type", text: "# defaults\nconcurrency = \"2\"\n", line: 2, says: "a whole number without quotes"),
        BadConfig(name: "out of range", text: "concurrency = 0\n", line: 1, says: "between 1 and 64"),
        BadConfig(name: "bad rate", text: "\nrate = \"fast\"\n", line: 2, says: "not a rate"),
        BadConfig(name: "bad portal", text: "portal_url = \"mods.factorio.com\"\n", line: 1, says: "https://"),
        BadConfig(name: "the key itself", text: "rate = \"1/s\"\napi_key = \"abc123\"\n", line: 2, says: "api_key_command"),
        BadConfig(
            name: "two key sources", text: "api_key_file = \"/k\"\napi_key_command = \"pass show k\"\n", line: 2, says: "keep only one"),
    ])
    func aWrongConfigFileStopsEveryCommandWithOneSentenceAndExitTwo(bad: BadConfig) async throws {
        let dir = try TemporaryDirectory("config")
        let (home, file) = try Self.configHome(dir, bad.text)
        let image = try ImageFixtures.writePNG(seed: 1, to: dir.url, name: "1.png")
        let db = dir.file("queue.sqlite3")
        for command in [["upload", "m", image], ["status"], ["work"]] {
            let result = try await Self.run(command + ["--db", db], ["XDG_CONFIG_HOME": home, "MOD_EDIT_API_KEY": "k"])
            #expect(result.status == 2, "\(command[0]): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains(file) && result.stderr.contains("line \(bad.line)"), "\(result.stderr)")
            #expect(result.stderr.contains(bad.says), "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
            #expect(!result.stderr.contains("abc123"))
        }
        #expect(!FileManager.default.fileExists(atPath: db), "nothing is done with a wrong config file")
        let help = try await Self.run(["upload", "--help"], ["XDG_CONFIG_HOME": home])
        #expect(help.status == 0, "--help works whatever the file holds")
    }
}
