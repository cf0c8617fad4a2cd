import ArgumentParser
import Foundation
import Logging
import ModImgDashboard
import ModImgQueue
import ServiceLifecycle

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a web dashboard of the queue (127.0.0.1:\(BindAddress.defaultPort) by default).",
        discussion:
            "Prints its URL, with a secret token new at every start, as the first line on stdout and serves until SIGINT or SIGTERM. Only a browser that opened that URL gets in (the token is exchanged for a session cookie); the pages can retry and cancel jobs, each through a form of the dashboard's own (--read-only offers none and refuses every change). Listening on anything but loopback needs --host and prints a warning.")

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: ArgumentHelp("Listen on this address instead of 127.0.0.1.", valueName: "address"))
    var host: String?

    @Option(name: .long, help: ArgumentHelp("Listen on this port; 0 picks a free one.", valueName: "port"))
    var port: Int = BindAddress.defaultPort

    @Flag(name: .long, help: "Only show the queue: offer no action and refuse every change (the token is still needed).")
    var readOnly = false

    func validate() throws {
        _ = try address()
    }

    private func address() throws -> BindAddress {
        do {
            return try BindAddress(host: host, port: port)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let address = try address()
        let dashboard = try await Terminal.reportingErrors(database: database) {
            try Dashboard.open(path: database.path, busyTimeoutMilliseconds: database.busyTimeout, readOnly: readOnly)
        }
        if let warning = address.exposureWarning { Terminal.error("warning: \(warning)") }
        let app = dashboard.application(address: address) { url in
            // Unbuffered: a reader on a pipe sees the URL at once.
            FileHandle.standardOutput.write(Data((url + "\n").utf8))
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: app, successTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: Logger(label: "modimg-queue.lifecycle", factory: { _ in SwiftLogNoOpLogHandler() })))
        do {
            try await group.run()
        } catch {
            Terminal.error(address.sentence(forFailure: error))
            throw ExitCode(1)
        }
    }
}
