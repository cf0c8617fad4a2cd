import ArgumentParser
import Foundation
import ModImgQueue

/// The time `status`, `status --mod` and `history` spend in the queue library, without the
/// process start-up that their wall time includes (median of `runs`, in seconds).
struct InspectTimingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspect-timing")

    @Option var db: String
    @Option var mod: String
    @Option var runs = 7

    func run() async throws {
        let queries = QueueQueries(database: try QueueDatabase.open(path: db))
        func median(_ body: () async throws -> Void) async rethrows -> Double {
            var samples: [Double] = []
            for _ in 0..<runs {
                let start = Date()
                try await body()
                samples.append(Date().timeIntervalSince(start))
            }
            return samples.sorted()[samples.count / 2]
        }
        let result: [String: Double] = [
            "status": try await median { _ = try await queries.status() },
            "status_mod": try await median { _ = try await queries.status(mod: mod) },
            "history": try await median { _ = try await queries.history(mod: mod) },
        ]
        print(String(decoding: try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]), as: UTF8.self))
    }
}
