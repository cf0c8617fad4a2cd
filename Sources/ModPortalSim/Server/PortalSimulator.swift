import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// A local stand-in for the Factorio mod portal's images API (add, upload, edit) and mod details (`/full`).
public final class PortalSimulator: Sendable {
    private let store: SimStore
    private let lifecycle = Locked<Lifecycle>(.stopped)

    private enum Lifecycle: Sendable {
        case stopped
        case starting
        case running(RunningServer)
    }

    private struct RunningServer: Sendable {
        let group: ServiceGroup
        let task: Task<Void, Never>
        let url: URL
    }

    /// How long `stop()` waits for in-flight requests before cancelling the server.
    private static let shutdownGrace: Duration = .seconds(5)

    public init(configuration: SimConfiguration) {
        store = SimStore(configuration: configuration)
    }

    /// Binds and starts serving in the background; returns the base URL, e.g. http://127.0.0.1:41234 (no trailing slash).
    /// Calling it while running returns the running server's URL.
    public func start() async throws -> URL {
        let running: URL? = try lifecycle.withLock { state in
            switch state {
            case .running(let server): return server.url
            case .starting: throw SimulatorError.alreadyStarting
            case .stopped:
                state = .starting
                return nil
            }
        }
        if let running { return running }

        let configuration = store.configuration
        let store = self.store
        let startup = StartupSignal()
        let logger = Self.makeLogger()
        let app = Application(
            responder: SimRoutes(store: store).responder,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port)),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                // Set before the first request is handled: Hummingbird accepts connections after this returns.
                store.baseURL = Self.baseURL(host: configuration.host, port: port)
                startup.succeed(port)
            },
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task {
            do {
                try await group.run()
                startup.fail(SimulatorError.stoppedBeforeListening)
            } catch {
                startup.fail(error)
            }
        }

        do {
            let port = try await startup.wait()
            guard let url = URL(string: Self.baseURL(host: configuration.host, port: port)) else {
                throw SimulatorError.stoppedBeforeListening
            }
            lifecycle.withLock { $0 = .running(RunningServer(group: group, task: task, url: url)) }
            return url
        } catch {
            task.cancel()
            await task.value
            lifecycle.withLock { $0 = .stopped }
            throw error
        }
    }

    /// Stops serving: in-flight requests get a few seconds to finish, then the server is cancelled.
    public func stop() async {
        let server: RunningServer? = lifecycle.withLock { state in
            guard case .running(let server) = state else { return nil }
            state = .stopped
            return server
        }
        guard let server else { return }
        await server.group.triggerGracefulShutdown()
        await withTaskGroup(of: Void.self) { waiters in
            waiters.addTask { await server.task.value }
            waiters.addTask { try? await Task.sleep(for: Self.shutdownGrace) }
            await waiters.next()
            server.task.cancel()
            waiters.cancelAll()
        }
    }

    /// The running server's base URL; nil when not running.
    public var baseURL: URL? {
        lifecycle.withLock { state in
            guard case .running(let server) = state else { return nil }
            return server.url
        }
    }

    public func state() -> SimState {
        store.state
    }

    /// Puts images straight into a mod's gallery (and its known ids), as if uploaded earlier; returns their ids. Counts no request.
    @discardableResult
    public func seedGallery(mod: String, images: [Data]) -> [String] {
        let ids = images.map { ImageBytes.sha1Hex($0) }
        store.seed(mod: mod, ids: ids)
        return ids
    }

    /// The next response to `call` is `response` instead of the normal handling (FIFO queue per call).
    /// Counted as a request of that call; for upload it does not consume the token or store the image.
    public func injectResponse(for call: SimCall, _ response: CannedResponse) {
        store.inject(response, for: call)
    }

    /// Every request received, in arrival order (method, path, the Authorization header if any,
    /// when it arrived and the status it was answered with). Also served, without the
    /// Authorization values, at `GET /__sim/requests`. The simulator's own `/__sim/...` requests are not included.
    public func recordedRequests() -> [RecordedRequest] {
        store.recordedRequests
    }

    // MARK: Helpers

    static func baseURL(host: String, port: Int) -> String {
        let needsBrackets = host.contains(":") && !host.hasPrefix("[")
        return "http://\(needsBrackets ? "[\(host)]" : host):\(port)"
    }

    /// Logs go to stderr (stdout carries only the CLI's base URL); level from `MODPORTAL_SIM_LOG_LEVEL`, default warning.
    private static func makeLogger() -> Logger {
        var logger = Logger(label: "modportal-sim", factory: { StreamLogHandler.standardError(label: $0) })
        let level = ProcessInfo.processInfo.environment["MODPORTAL_SIM_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
        logger.logLevel = level ?? .warning
        return logger
    }
}
