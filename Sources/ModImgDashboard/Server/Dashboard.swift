import Hummingbird
import Logging
import ModImgQueue

/// The read-only web dashboard of one queue database: its routes, and an application that
/// serves them.
public struct Dashboard: Sendable {
    let database: QueueDatabase
    let watcher: ChangeWatcher

    /// `database` answers the pages; `watcher` sees changes on a connection of its own.
    public init(database: QueueDatabase, watcher: ChangeWatcher) {
        self.database = database
        self.watcher = watcher
    }

    /// Opens the existing queue at `path` twice (pages, change watcher); never creates one.
    public static func open(path: String, busyTimeoutMilliseconds: Int32 = 5_000) throws -> Dashboard {
        let pages = try QueueDatabase.open(path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds, creating: false)
        let watched = try QueueDatabase.open(path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds, creating: false)
        return Dashboard(database: pages, watcher: ChangeWatcher(database: watched))
    }

    /// Every route, each answering `HEAD` as `GET` without the body; whatever is not one of them
    /// is 404. Serving on loopback (`address` nil or a loopback one), a request naming another
    /// host is refused (see `LoopbackHostCheck`). A database that fails is said on a page (see
    /// `DatabaseErrorPages`).
    public func router(address: BindAddress? = nil) -> Router<DashboardContext> {
        let router = Router(context: DashboardContext.self, options: .autoGenerateHeadEndpoints)
        if address?.isLoopback ?? true { router.add(middleware: LoopbackHostCheck()) }
        router.add(middleware: DatabaseErrorPages(databasePath: database.path))
        let queries = QueueQueries(database: database)
        let listing = JobListing(database: database)
        PageRoutes(queries: queries, listing: listing, databasePath: database.path).add(to: router)
        APIRoutes(queries: queries, listing: listing, databasePath: database.path).add(to: router)
        FileRoute(queries: queries).add(to: router)
        EventsRoute(watcher: watcher).add(to: router)
        return router
    }

    /// The server at `address`; `onListening` gets the URL once it accepts connections (the port
    /// chosen when `address.port` is 0).
    public func application(
        address: BindAddress, onListening: @escaping @Sendable (String) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        var logger = Logger(label: "modimg-queue.dashboard", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = .warning
        return Application(
            router: router(address: address),
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "modimg-queue"),
            onServerRunning: { channel in
                await onListening(address.url(port: channel.localAddress?.port ?? address.port))
            },
            logger: logger)
    }
}
