import Foundation
import ModPortalSim
import TestSupport
import Testing

@Suite struct CommandLineTests {
    @Test func oneBadFileRejectsTheCommandWithOneSentenceAndQueuesNothing() async throws {
        let cli = try CLIHarness()
        var files = try cli.pngs(1...2)
        let bad = cli.dir.file("notes.png")
        try Data("just text".utf8).write(to: URL(fileURLWithPath: bad))
        files.append(bad)
        let result = try await cli.runOffline(["upload", "my-mod"] + files)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(result.stderr.contains(bad))
        #expect(!FileManager.default.fileExists(atPath: cli.db), "every file is checked before the queue is opened")
    }

    @Test func malformedIDsAndModNamesAreRejected() async throws {
        let cli = try CLIHarness()
        let badID = try await cli.runOffline(["reorder", "my-mod", String(repeating: "a", count: 40), "1234"])
        #expect(badID.status != 0)
        #expect(badID.stderr.contains("\"1234\" is not an image id"))
        let badMod = try await cli.runOffline(["upload", "bad mod!", try cli.pngs(1...1)[0]])
        #expect(badMod.status != 0)
        #expect(badMod.stderr.contains("not a valid mod name"))
        #expect(!FileManager.default.fileExists(atPath: cli.db), "the arguments are checked before the queue is opened")
    }

    @Test func workWithoutAKeyExitsTwoAndTouchesNothing() async throws {
        let cli = try CLIHarness()
        #expect(try await cli.runOffline(["upload", "m"] + (try cli.pngs(1...1))).status == 0)
        let result = try await cli.run(["work", "--portal-url", "http://127.0.0.1:1"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("MOD_EDIT_API_KEY"))
        #expect(try await cli.total("queued") == 1)
    }

    /// Every key problem exits 2, as a missing key does: a nightly unit that treats 1 ("some jobs
    /// failed") as success must not count an unusable key as a good night.
    @Test func everyUnusableKeyExitsTwoWithOneSentenceAndTouchesNothing() async throws {
        let cli = try CLIHarness()
        #expect(try await cli.runOffline(["upload", "m"] + (try cli.pngs(1...1))).status == 0)
        func keyFile(_ name: String, _ text: String, mode: mode_t) throws -> String {
            let path = cli.dir.file(name)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            chmod(path, mode)
            return path
        }
        let cases: [(String, [String], [String: String], String)] = [
            ("empty", ["--api-key-file", try keyFile("empty", "", mode: 0o600)], [:], "is empty"),
            ("readable by others", ["--api-key-file", try keyFile("open", "k\n", mode: 0o644)], [:], "chmod 600"),
            ("not a file", ["--api-key-file", cli.dir.path], [:], "cannot be read"),
            ("missing", ["--api-key-file", cli.dir.file("no-such-key")], [:], "cannot be read"),
            ("malformed", [], ["MOD_EDIT_API_KEY": "abc def"], "spaces or control characters"),
        ]
        for (name, options, environment, sentence) in cases {
            let result = try await cli.run(["work", "--portal-url", "http://127.0.0.1:1"] + options, environment: environment)
            #expect(result.status == 2, "\(name): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains(sentence), "\(name): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(name): \(result.stderr)")
        }
        #expect(try await cli.total("queued") == 1)
    }

    @Test func anInvalidKeyStopsWorkWithExitTwoAndEveryJobIntact() async throws {
        try await withSimulator { sim, url in
            let cli = try CLIHarness()
            #expect(try await cli.runOffline(["upload", "m"] + (try cli.pngs(1...3))).status == 0)
            let result = try await cli.run(["work", "--rate", "100/s"], environment: cli.workEnvironment(url, key: "wrong-key"))
            #expect(result.status == 2)
            #expect(result.stderr.contains("refused the API key"))
            #expect(try await cli.total("queued") == 3)
            #expect(!result.stderr.contains("wrong-key") && !result.stdout.contains("wrong-key"))
        }
    }

    @Test func theKeyNeverReachesOutputLogsOrTheDatabase() async throws {
        let secret = "sekret-KEY-7f3a9"
        try await withSimulator({ $0.apiKey = secret }) { sim, url in
            let cli = try CLIHarness()
            var everything = ""
            let keyFile = cli.dir.file("key")
            try Data("\(secret)\n".utf8).write(to: URL(fileURLWithPath: keyFile))
            chmod(keyFile, 0o600)
            for (round, verbosity) in [["--quiet"], [], ["--verbose"]].enumerated() {
                #expect(try await cli.runOffline(["upload", "m"] + (try cli.pngs((round * 2 + 1)...(round * 2 + 2)))).status == 0)
                sim.injectResponse(for: .add, CannedResponse(status: 503, body: "<html>down</html>"))
                sim.injectResponse(for: .upload, CannedResponse(status: 400, body: #"{"error":"InvalidImageUpload","message":"no"}"#))
                let viaEnvironment = try await cli.run(["work", "--rate", "100/s"] + verbosity, environment: cli.workEnvironment(url, key: secret))
                #expect(viaEnvironment.status == 1, "\(viaEnvironment.stderr)")
                everything += viaEnvironment.stdout + viaEnvironment.stderr
            }
            // The key file, and a rejected key, say nothing of the key either.
            #expect(try await cli.run(["retry", "--failed"]).status == 0)
            let viaFile = try await cli.run(
                ["work", "--rate", "100/s", "--verbose", "--api-key-file", keyFile, "--portal-url", url.absoluteString])
            #expect(viaFile.status == 0, "\(viaFile.stderr)")
            everything += viaFile.stdout + viaFile.stderr
            #expect(try await cli.runOffline(["upload", "m"] + (try cli.pngs(9...9))).status == 0)
            let rejected = try await cli.run(["work", "--verbose"], environment: cli.workEnvironment(url, key: secret + "-old"))
            #expect(rejected.status == 2)
            everything += rejected.stdout + rejected.stderr
            for command in [["status"], ["status", "--json"], ["history", "m"], ["history", "m", "--json"]]
                + (1...7).map({ ["log", "\($0)"] })
            {
                let result = try await cli.run(command)
                everything += result.stdout + result.stderr
            }
            #expect(everything.contains("InvalidImageUpload"))
            #expect(!everything.contains(secret))
            for suffix in ["", "-wal", "-shm"] {
                if let bytes = FileManager.default.contents(atPath: cli.db + suffix) {
                    #expect(bytes.range(of: Data(secret.utf8)) == nil, "key found in database\(suffix)")
                }
            }
            #expect(sim.recordedRequests().filter { $0.call == .upload }.allSatisfy { $0.authorization == nil })
        }
    }

    @Test func theBinaryCarriesItsSchemaAndRunsFromAnywhere() async throws {
        let elsewhere = try TemporaryDirectory("installed")
        let copy = elsewhere.url.appendingPathComponent("modimg-queue")
        try FileManager.default.copyItem(at: Binaries.modimgQueue, to: copy)
        let db = elsewhere.file("q.sqlite3")
        let image = try ImageFixtures.writePNG(seed: 1, to: elsewhere.url, name: "a.png")
        let queued = try await CommandRunner.run(copy, ["upload", "m", image, "--offline", "--db", db], currentDirectory: URL(fileURLWithPath: "/"))
        #expect(queued.status == 0, "\(queued.stderr)")
        let result = try await CommandRunner.run(copy, ["status", "--db", db], currentDirectory: URL(fileURLWithPath: "/"))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("1 queued"))
    }

    @Test func aDatabaseFromANewerVersionIsRefusedWithAClearMessage() async throws {
        let cli = try CLIHarness()
        #expect(try await cli.runOffline(["upload", "m", try cli.pngs(1...1)[0]]).status == 0)
        try CommandRunner.runBlocking(
            "/usr/bin/env",
            ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('INSERT INTO schema_migrations VALUES (999, \"future\", 0)'); c.commit()", cli.db])
        let result = try await cli.run(["status"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("newer modimg-queue"))
    }

    @Test func aDatabaseInAMissingFolderOrNotADatabaseIsRefused() async throws {
        let cli = try CLIHarness()
        let missing = try await CommandRunner.run(
            Binaries.modimgQueue, ["upload", "m", try cli.pngs(1...1)[0], "--offline", "--db", cli.dir.file("no/such/q.db")])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("does not exist"))
        let text = cli.dir.file("text.db")
        try Data(repeating: 0x42, count: 10_000).write(to: URL(fileURLWithPath: text))
        let notDB = try await CommandRunner.run(Binaries.modimgQueue, ["status", "--db", text])
        #expect(notDB.status == 1)
        #expect(notDB.stderr.contains("is not a modimg-queue database"))
    }
}
