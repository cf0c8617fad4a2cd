import Foundation
import ModPortalSim
import TestSupport
import Testing

/// Every kind of bad input a user can give: one clear sentence on stderr, a non-zero exit,
/// and nothing queued or half-written.
@Suite(.serialized) struct BadInputTests {
    /// One bad command: how to set it up, and a phrase its error must contain.
    struct Case: Sendable {
        let name: String
        let expected: String
        let build: @Sendable (CLIHarness) throws -> [String]
        var environment: [String: String] = [:]
        /// Whether to check that the queue database file is byte-for-byte unchanged.
        var databaseMustBeUntouched = true
    }

    static func write(_ data: Data, _ cli: CLIHarness, _ name: String) throws -> String {
        let path = cli.dir.file(name)
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    static let png = ImageFixtures.png(seed: 77)
    static let goodID = String(repeating: "ab", count: 20)

    static let cases: [Case] = [
        Case(name: "missing file", expected: "does not exist") { ["upload", "m", $0.dir.file("nope.png")] },
        Case(name: "empty file", expected: "is empty") { ["upload", "m", try write(Data(), $0, "empty.png")] },
        Case(name: "directory", expected: "is a directory") { ["upload", "m", $0.dir.path] },
        Case(name: "symlink loop", expected: "loops") { cli in
            let loop = cli.dir.file("loop.png")
            try FileManager.default.createSymbolicLink(atPath: loop, withDestinationPath: loop)
            return ["upload", "m", loop]
        },
        Case(name: "not an image", expected: "is not a PNG, JPEG or GIF") {
            ["upload", "m", try write(Data("%PDF-1.7 not an image".utf8), $0, "doc.png")]
        },
        Case(name: "oversized image", expected: "over the 100-byte limit") {
            ["upload", "--max-size", "100", "m", try write(png, $0, "big.png")]
        },
        Case(name: "truncated image", expected: "truncated PNG") {
            ["upload", "m", try write(png.prefix(png.count - 30), $0, "cut.png")]
        },
        Case(name: "one bad file among good ones", expected: "bad.gif") {
            ["upload", "m", try write(png, $0, "good.png"), try write(Data("GIF89a".utf8), $0, "bad.gif")]
        },
        Case(name: "empty mod name", expected: "not a valid mod name") { ["upload", "", try write(png, $0, "a.png")] },
        Case(name: "mod name with spaces", expected: "not a valid mod name") {
            ["upload", "my mod", try write(png, $0, "a.png")]
        },
        Case(name: "mod name with a path", expected: "not a valid mod name") { _ in
            ["reorder", "../etc", goodID]
        },
        Case(name: "mod name too long", expected: "not a valid mod name") { _ in
            ["reorder", String(repeating: "m", count: 101), goodID]
        },
        Case(name: "short id", expected: "is not an image id") { _ in ["reorder", "m", "abc123"] },
        Case(name: "an image named twice in a reorder", expected: "is named twice") { _ in
            ["reorder", "m", goodID, goodID.uppercased()]
        },
        Case(name: "non-hex id", expected: "is not an image id") { _ in ["reorder", "m", String(repeating: "zz", count: 20)] },
        Case(name: "41-character id", expected: "is not an image id") { _ in ["reorder", "m", goodID + "a"] },
        Case(name: "TOML syntax error", expected: "line 3") {
            ["enqueue", "--offline", try write(Data("[[mod]]\nname = \"a\"\nimages = [\"a.png\",,]\n".utf8), $0, "g.toml")]
        },
        Case(name: "JSON syntax error", expected: "malformed") {
            ["enqueue", "--offline", try write(Data("{\"mods\": [".utf8), $0, "g.json")]
        },
        Case(name: "manifest field of the wrong type", expected: "mods[0].prune") {
            ["enqueue", "--offline", try write(Data(#"{"mods":[{"name":"a","prune":"no","images":["a.png"]}]}"#.utf8), $0, "g.json")]
        },
        Case(name: "manifest naming a missing image", expected: "does not exist") {
            ["enqueue", "--offline", try write(Data(#"{"mods":[{"name":"a","images":["gone.png"]}]}"#.utf8), $0, "g.json")]
        },
        Case(name: "unknown flag", expected: "Unknown option '--bogus'") { _ in ["status", "--bogus"] },
        Case(name: "rate of zero", expected: "The value '0/s' is invalid for '--rate <rate>'") { _ in ["work", "--rate", "0/s"] },
        Case(name: "rate in words", expected: "is invalid for '--rate <rate>'") { _ in ["work", "--rate", "fast"] },
        Case(name: "rate per day", expected: "is invalid for '--rate <rate>'") { _ in ["work", "--rate", "100/day"] },
        Case(name: "zero concurrency", expected: "--concurrency must be") { _ in ["work", "--concurrency", "0"] },
        Case(name: "zero longest retry delay", expected: "--retry-max must be a positive number of seconds") { _ in ["work", "--retry-max", "0"] },
        Case(name: "bad prune age", expected: "--older-than soon is not an age: give a number and one of s, min, h, d or w") { _ in
            ["prune", "--older-than", "soon"]
        },
        Case(name: "prune age in m, minutes or months", expected: "--older-than 1m is not an age (m could be minutes or months)") { _ in
            ["prune", "--older-than", "1m"]
        },
        Case(name: "not a SQLite file", expected: "is not a modimg-queue database") { cli in
            try checkpointAndDropWAL(cli.db)
            try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: cli.db))
            return ["status"]
        },
        Case(name: "corrupted database", expected: "corrupted") { cli in
            try checkpointAndDropWAL(cli.db)
            var bytes = try Data(contentsOf: URL(fileURLWithPath: cli.db))
            bytes.replaceSubrange(100..<bytes.count, with: Data(repeating: 0xEE, count: bytes.count - 100))
            try bytes.write(to: URL(fileURLWithPath: cli.db))
            return ["status"]
        },
        Case(name: "database from a newer version", expected: "newer modimg-queue") { cli in
            try sqlite(cli.db, "INSERT INTO schema_migrations VALUES (9999, 'future', 0)")
            return ["status"]
        },
        Case(name: "API key file readable by others", expected: "chmod 600", build: { cli in
            let key = try write(Data("k\n".utf8), cli, "key")
            chmod(key, 0o644)
            return ["work", "--api-key-file", key, "--portal-url", "http://127.0.0.1:1"]
        }),
        Case(name: "portal URL that is not one", expected: "is not a portal URL", build: { _ in
            ["work", "--portal-url", "ftp://example.com"]
        }, environment: ["MOD_EDIT_API_KEY": "k"]),
        Case(name: "API key with a space inside", expected: "has spaces or control characters inside it", build: { _ in
            ["work", "--portal-url", "http://127.0.0.1:1"]
        }, environment: ["MOD_EDIT_API_KEY": "abc def"]),
        Case(name: "API key file with an escape sequence in the key", expected: "has spaces or control characters inside it", build: { cli in
            let key = try write(Data("abc\u{1B}[2Jdef\n".utf8), cli, "key")
            chmod(key, 0o600)
            return ["work", "--api-key-file", key, "--portal-url", "http://127.0.0.1:1"]
        }),
    ]

    /// Moves everything into the main file, so damage to it is what SQLite reads.
    static func checkpointAndDropWAL(_ db: String) throws {
        try sqlite(db, "PRAGMA wal_checkpoint(TRUNCATE)")
        try? FileManager.default.removeItem(atPath: db + "-wal")
        try? FileManager.default.removeItem(atPath: db + "-shm")
    }

    static func sqlite(_ db: String, _ sql: String) throws {
        try CommandRunner.runBlocking(
            "/usr/bin/env", ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()", db, sql])
    }

    @Test func everyBadInputGetsOneClearSentenceAndChangesNothing() async throws {
        var ran = 0
        for badCase in Self.cases {
            let cli = try CLIHarness()
            // A queue with one job in it, so "nothing lost" means something.
            let seeded = try await cli.runOffline(["upload", "m", try Self.write(ImageFixtures.png(seed: 1), cli, "seed.png")])
            #expect(seeded.status == 0, "\(badCase.name): setup failed: \(seeded.stderr)")
            _ = try await cli.run(["status"])
            let arguments = try badCase.build(cli)
            let before = try? Data(contentsOf: URL(fileURLWithPath: cli.db))
            let result = try await cli.run(arguments, environment: badCase.environment)
            ran += 1
            #expect(result.status != 0, "\(badCase.name): exit status 0")
            #expect(result.stderr.contains(badCase.expected), "\(badCase.name): stderr was \(result.stderr)")
            // Argument-parser's own usage lines, and the option's help it shows under a value it cannot parse.
            let sentences = result.stderr.split(separator: "\n").filter {
                !$0.hasPrefix("Usage:") && !$0.hasPrefix("  See '") && !$0.hasPrefix("Help:") && !$0.isEmpty
            }
            #expect(sentences.count == 1, "\(badCase.name): stderr was \(result.stderr)")
            #expect(!result.stderr.contains("SQLite error"), "\(badCase.name): raw SQLite error leaked")
            if badCase.databaseMustBeUntouched {
                let after = try? Data(contentsOf: URL(fileURLWithPath: cli.db))
                #expect(after == before, "\(badCase.name): database changed")
            }
            if !["not a SQLite file", "corrupted database", "database from a newer version"].contains(badCase.name) {
                #expect(try await cli.total("queued") == 1, "\(badCase.name): the queue changed")
            }
        }
        print("bad-input cases run: \(ran + 3)")
        #expect(ran == Self.cases.count)
    }

    @Test func aMissingFolderForTheDatabaseIsNamed() async throws {
        let cli = try CLIHarness()
        let image = try Self.write(ImageFixtures.png(seed: 2), cli, "a.png")
        let result = try await CommandRunner.run(Binaries.modimgQueue, ["upload", "m", image, "--offline", "--db", cli.dir.file("missing/q.db")])
        #expect(result.status == 1)
        #expect(result.stderr.contains("does not exist"))
        #expect(!FileManager.default.fileExists(atPath: cli.dir.file("missing")))
    }

    @Test(arguments: [["status"], ["history", "m"], ["log", "1"], ["work"], ["retry", "--failed"], ["cancel", "--mod", "m"], ["prune", "--older-than", "1d"], ["jobs"]])
    func aCommandThatOnlyReadsOrWorksAQueueNeverCreatesOne(command: [String]) async throws {
        let cli = try CLIHarness()
        for db in [cli.db, cli.dir.file("missing/q.db")] {
            let result = try await CommandRunner.run(
                Binaries.modimgQueue, command + ["--db", db], environment: ["MOD_EDIT_API_KEY": "k", "MODIMG_PORTAL_URL": "http://127.0.0.1:1"])
            #expect(result.status == 1, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("there is no queue at \(db) yet"), "\(command): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1)
            #expect(!FileManager.default.fileExists(atPath: db))
        }
    }

    @Test(arguments: [["status"], ["work"], ["upload", "m"]])
    func aDatabaseWithASecondHardLinkIsRefusedWithOneSentence(command: [String]) async throws {
        let cli = try CLIHarness()
        let image = try Self.write(ImageFixtures.png(seed: 4), cli, "a.png")
        #expect(try await cli.runOffline(["upload", "m", image]).status == 0)
        let second = cli.dir.file("second.sqlite3")
        #expect(link(cli.db, second) == 0)
        let arguments = command == ["upload", "m"] ? command + [try Self.write(ImageFixtures.png(seed: 5), cli, "b.png"), "--offline"] : command
        for db in [cli.db, second] {
            let result = try await CommandRunner.run(
                Binaries.modimgQueue, arguments + ["--db", db],
                environment: ["MOD_EDIT_API_KEY": "k", "MODIMG_PORTAL_URL": "http://127.0.0.1:1"])
            #expect(result.status == 1, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("the database \(db) has 2 hard links"), "\(command): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: second + "-wal"))
    }

    @Test func aDatabaseHeldByAnotherWriterWaitsThenSaysSo() async throws {
        let cli = try CLIHarness()
        _ = try await cli.run(["status"])
        let holder = try CommandRunner.start(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", "-c", "import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1], isolation_level=None); c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); time.sleep(30)", cli.db])
        defer { holder.kill(SIGKILL) }
        try await waitForLock(cli.db)
        let result = try await cli.runOffline(
            ["upload", "m", try Self.write(ImageFixtures.png(seed: 3), cli, "a.png")],
            environment: ["MODIMG_QUEUE_BUSY_TIMEOUT_MS": "300"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("is locked by another process"), "\(result.stderr)")
        holder.kill(SIGKILL)
        _ = await holder.wait()
        #expect(try await cli.total("queued") == 0)
    }

    @Test(.enabled(if: getuid() == 0 || access("/", W_OK) != 0, "a user who may write everywhere cannot be refused a folder"))
    func aReadOnlyDatabaseFolderIsReported() async throws {
        // As root permissions do not bind, so run the command as nobody.
        let cli = try CLIHarness()
        let image = try Self.write(ImageFixtures.png(seed: 2), cli, "a.png")
        chmod(image, 0o644)
        chmod(cli.dir.path, 0o755)
        let result: CommandResult
        if getuid() == 0 {
            result = try await CommandRunner.run(
                URL(fileURLWithPath: "/usr/bin/setpriv"),
                ["--reuid=65534", "--regid=65534", "--clear-groups", Binaries.modimgQueue.path, "upload", "m", image, "--offline", "--db", cli.db])
        } else {
            chmod(cli.dir.path, 0o555)
            result = try await cli.runOffline(["upload", "m", image])
        }
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot be written"), "\(result.stderr)")
    }

    private func waitForLock(_ db: String) async throws {
        for _ in 0..<100 {
            let status = try CommandRunner.runBlocking(
                "/usr/bin/env",
                ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1], timeout=0, isolation_level=None); c.execute('BEGIN IMMEDIATE')", db])
            if status != 0 { return }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        Issue.record("the lock holder never took the lock")
    }
}
