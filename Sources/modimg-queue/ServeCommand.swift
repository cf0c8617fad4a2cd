import ArgumentParser
import Foundation
import Logging
import ModImgDashboard
import ModImgQueue
import ServiceLifecycle

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a read-only web dashboard of the queue (127.0.0.1:\(BindAddress.defaultPort) by default).",
        discussion:
            "Prints its URL as the first line on stdout and serves until SIGINT or SIGTERM. The pages have no login: listening on anything but loopback needs --host and prints a warning.")

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: ArgumentHelp("Listen on this address instead of 127.0.0.1.", valueName: "address"))
    var host: String?

    @Option(name: .long, help: ArgumentHelp("Listen on this port; 0 picks a free one.", valueName: "port"))
    var port: Int = BindAddress.defaultPort

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
            try Dashboard.open(path: database.path, busyTimeoutMilliseconds: database.busyTimeout)
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
