import Foundation

/// Where the queue lives when `--db` is not given.
public enum DefaultPaths {
    /// `$MODIMG_QUEUE_DB`, else the config file's `database` (`configured`), else
    /// `$XDG_DATA_HOME/modimg-queue/queue.sqlite3`, else `~/.local/share/modimg-queue/queue.sqlite3`.
    public static func database(
        environment: [String: String] = ProcessInfo.processInfo.environment, configured: String? = nil
    ) -> String {
        if let explicit = environment["MODIMG_QUEUE_DB"], !explicit.isEmpty { return explicit }
        if let configured { return configured }
        if let dataHome = environment["XDG_DATA_HOME"], !dataHome.isEmpty {
            return dataHome + "/modimg-queue/queue.sqlite3"
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.local/share/modimg-queue/queue.sqlite3"
    }

    /// Creates the default database's folder (0700) when it is missing; an explicit `--db`
    /// in a missing folder is an error instead, as a typo is more likely than intent.
    public static func prepareDefaultFolder(for path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }
}
