import Foundation
import ModPortalSim

/// Starts an in-process `modportal-sim` on a free loopback port for the duration of `body`.
public func withSimulator<T>(
    _ configure: (inout SimConfiguration) -> Void = { _ in },
    _ body: (PortalSimulator, URL) async throws -> T
) async throws -> T {
    var configuration = SimConfiguration()
    configure(&configuration)
    let simulator = PortalSimulator(configuration: configuration)
    let url = try await simulator.start()
    do {
        let result = try await body(simulator, url)
        await simulator.stop()
        return result
    } catch {
        await simulator.stop()
        throw error
    }
}

public enum SimDefaults {
    public static let apiKey = SimConfiguration().apiKey
}
