import Foundation
import Testing

@testable import ModImgQueue
@testable import ModPortal

/// The config file's values, and where each stands among options and environment variables.
@Suite struct UserConfigTests {
    @Test func everyKeyIsReadAndPathsAreResolvedFromTheFilesFolderOrHome() throws {
        let config = try UserConfig.parse(
            """
            # defaults
            portal_url = "http://127.0.0.1:9000"
            database = "queues/q.sqlite3"
            rate = "90/min"
            concurrency = 4
            api_key_file = "~/keys/factorio"
            """, file: "/etc/x/modimg-queue/config.toml", home: "/home/u")
        #expect(config.portalURL == "http://127.0.0.1:9000")
        #expect(config.database == "/etc/x/modimg-queue/queues/q.sqlite3")
        #expect(config.rate == Rate(count: 90, period: 60))
        #expect(config.concurrency == 4)
        #expect(config.apiKeyFile == "/home/u/keys/factorio")
        #expect(config.apiKeyCommand == nil)
    }

    @Test func theFileIsUnderXDGConfigHomeIfAbsoluteElseUnderHome() {
        #expect(UserConfig.path(environment: ["XDG_CONFIG_HOME": "/c", "HOME": "/h"]) == "/c/modimg-queue/config.toml")
        #expect(UserConfig.path(environment: ["XDG_CONFIG_HOME": "rel", "HOME": "/h"]) == "/h/.config/modimg-queue/config.toml")
        #expect(UserConfig.path(environment: ["HOME": "/h"]) == "/h/.config/modimg-queue/config.toml")
    }

    @Test func noFileMeansNoValues() throws {
        let config = try UserConfig.load(environment: ["XDG_CONFIG_HOME": "/nonexistent/config-home"])
        #expect(config == UserConfig(file: "/nonexistent/config-home/modimg-queue/config.toml"))
    }

    @Test func anOptionThenTheEnvironmentThenTheFileGiveThePortalAndDatabase() throws {
        let config = UserConfig(portalURL: "http://from-file:1", database: "/file.sqlite3")
        let environment = ["MODIMG_PORTAL_URL": "http://from-env:1", "MODIMG_QUEUE_DB": "/env.sqlite3", "HOME": "/h"]
        #expect(try WorkerSetup.portalURL(option: "http://opt:1", environment: environment, configured: config.portalURL).host == "opt")
        #expect(try WorkerSetup.portalURL(option: nil, environment: environment, configured: config.portalURL).host == "from-env")
        #expect(try WorkerSetup.portalURL(option: nil, environment: ["HOME": "/h"], configured: config.portalURL).host == "from-file")
        #expect(DefaultPaths.database(environment: environment, configured: config.database) == "/env.sqlite3")
        #expect(DefaultPaths.database(environment: ["HOME": "/h"], configured: config.database) == "/file.sqlite3")
        #expect(DefaultPaths.database(environment: ["HOME": "/h"]) == "/h/.local/share/modimg-queue/queue.sqlite3")
    }

    @Test func theKeyComesFromAFlagThenTheEnvironmentThenTheFilesCommand() throws {
        // What each source gives is told apart by what the portal client would send.
        func bearer(_ key: APIKey) -> String { key.bearerHeader }
        let config = UserConfig(file: "/c/config.toml", apiKeyCommand: "printf 'from-config\\n'")
        let flag = try WorkerSetup.apiKey(file: nil, command: "printf 'from-flag\\n'", environment: ["MOD_EDIT_API_KEY": "from-env"], config: config)
        #expect(bearer(flag) == "Bearer from-flag")
        let environment = try WorkerSetup.apiKey(file: nil, command: nil, environment: ["MOD_EDIT_API_KEY": "from-env"], config: config)
        #expect(bearer(environment) == "Bearer from-env")
        let file = try WorkerSetup.apiKey(file: nil, command: nil, environment: ["MOD_EDIT_API_KEY": "  "], config: config)
        #expect(bearer(file) == "Bearer from-config")
        #expect(throws: WorkerSetup.SetupError.noApiKey) {
            try WorkerSetup.apiKey(file: nil, command: nil, environment: [:], config: UserConfig())
        }
    }

    @Test func aKeyCommandInAFileOthersMayWriteIsRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("modimg-queue"), withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("modimg-queue/config.toml").path
        try Data("api_key_command = \"pass show k\"\n".utf8).write(to: URL(fileURLWithPath: file))
        chmod(file, 0o664)
        #expect(throws: UserConfigError.commandInWritableFile(file: file, mode: "664")) {
            try UserConfig.load(environment: ["XDG_CONFIG_HOME": dir.path])
        }
        chmod(file, 0o644)
        #expect(try UserConfig.load(environment: ["XDG_CONFIG_HOME": dir.path]).apiKeyCommand == "pass show k")
    }

    @Test func aKeyCommandThatHangsIsStoppedAtItsTimeout() {
        #expect(throws: WorkerSetup.SetupError.keyCommandTimedOut(origin: "test", seconds: 1)) {
            try KeyCommand.firstLine(of: "sleep 60 & sleep 60", origin: "test", timeout: 1)
        }
    }
}
