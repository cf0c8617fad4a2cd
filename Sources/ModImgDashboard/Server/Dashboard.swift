import Hummingbird
import Logging
import ModImgQueue

/// The web dashboard of one queue database: its routes, and an application that serves them.
/// Only a browser that opened the URL with this launch's token gets in (`SessionCheck`); its
/// queue actions are forms that `ForgeryCheck` lets through only from its own pages. With
/// `readOnly`, it offers no action and refuses every `POST`.
public struct Dashboard: Sendable {
    let database: QueueDatabase
    let watcher: ChangeWatcher
    /// This launch's token, session cookie and CSRF key.
    public let secrets: LaunchSecrets
    public let readOnly: Bool
    private let results = ActionResults()

    /// `database` answers the pages; `watcher` sees changes on a connection of its own.
    public init(database: QueueDatabase, watcher: ChangeWatcher, secrets: LaunchSecrets = .random(), readOnly: Bool = false) {
        self.database = database
        self.watcher = watcher
        self.secrets = secrets
        self.readOnly = readOnly
    }

    /// Opens the existing queue at `path` twice (pages and actions, change watcher); never creates one.
    public static func open(path: String, busyTimeoutMilliseconds: Int32 = 5_000, readOnly: Bool = false) throws -> Dashboard {
        let pages = try QueueDatabase.open(path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds, creating: false)
        let watched = try QueueDatabase.open(path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds, creating: false)
        return Dashboard(database: pages, watcher: ChangeWatcher(database: watched), readOnly: readOnly)
    }

    /// Every route, each answering `HEAD` as `GET` without the body; whatever is not one of them
    /// is 404. Without the session cookie, everything is 401 (see `SessionCheck`); a `POST` not
    /// from this dashboard's own form is 403 (see `ForgeryCheck`). Serving on loopback (`address` nil or a loopback one), a request naming another
    /// host is refused (see `LoopbackHostCheck`). A database that fails is said on a page (see
    /// `DatabaseErrorPages`).
    public func router(address: BindAddress? = nil) -> Router<DashboardContext> {
        let router = Router(context: DashboardContext.self, options: .autoGenerateHeadEndpoints)
        if address?.isLoopback ?? true { router.add(middleware: LoopbackHostCheck()) }
        router.add(middleware: SessionCheck(secrets: secrets))
        router.add(middleware: ForgeryCheck(secrets: secrets, readOnly: readOnly))
        router.add(middleware: DatabaseErrorPages(databasePath: database.path))
        let queries = QueueQueries(database: database)
        let listing = JobListing(database: database)
        let forms = readOnly ? nil : ActionForms(csrf: secrets.csrfToken)
        let pages = PageRoutes(queries: queries, listing: listing, databasePath: database.path, forms: forms, results: results)
        pages.add(to: router)
        if let forms {
            ActionRoutes(maintenance: QueueMaintenance(database: database), listing: listing, forms: forms, results: results).add(to: router)
            GalleryRoutes(editor: GalleryEditor(database: database), queries: queries, listing: listing, pages: pages, results: results)
                .add(to: router)
        }
        APIRoutes(queries: queries, listing: listing, databasePath: database.path).add(to: router)
        FileRoute(queries: queries).add(to: router)
        EventsRoute(watcher: watcher).add(to: router)
        return router
    }

    /// The server at `address`; `onListening` gets the URL to open once it accepts connections
    /// (the port chosen when `address.port` is 0), with this launch's `?token=`.
    public func application(
        address: BindAddress, onListening: @escaping @Sendable (String) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        var logger = Logger(label: "modimg-queue.dashboard", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = .warning
        return Application(
            router: router(address: address),
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "modimg-queue"),
            onServerRunning: { channel in
                await onListening(address.url(port: channel.localAddress?.port ?? address.port) + "?token=" + secrets.token)
            },
            logger: logger)
    }
}
