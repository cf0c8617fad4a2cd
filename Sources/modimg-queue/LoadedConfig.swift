import ArgumentParser
import ModImgQueue
import Synchronization

/// The config file (`UserConfig`), read once after the command line is parsed (so `--help`
/// and `--version` work whatever the file holds) and before the command runs.
enum LoadedConfig {
    private static let loaded = Mutex(UserConfig())

    static var current: UserConfig { loaded.withLock { $0 } }

    /// Reads the file; a file that is wrong stops the command: one sentence, exit status 2.
    static func load() throws {
        do {
            let config = try UserConfig.load()
            loaded.withLock { $0 = config }
        } catch {
            Terminal.error(error.description)
            throw ExitCode(2)
        }
    }

    /// Where `--help` says the file is.
    static let helpText =
        "Defaults for --portal-url, --db, --rate, --concurrency and the API key's source are read from $XDG_CONFIG_HOME/modimg-queue/config.toml (else ~/.config/modimg-queue/config.toml); options and environment variables take precedence."
}
