import ArgumentParser
import Foundation
import ModImgQueue

/// SQLite's plans for the queries of `status`, `status --mod` and `history`.
struct QueryPlansCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plans")

    @Option var db: String
    @Option var mod: String

    func run() async throws {
        let plans = try await QueueQueries(database: try QueueDatabase.open(path: db)).queryPlans(mod: mod)
        let object = plans.map { ["query": $0.query, "plan": $0.plan] as [String: Any] }
        print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
    }
}
