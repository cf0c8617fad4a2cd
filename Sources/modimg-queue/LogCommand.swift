import ArgumentParser
import Foundation
import ModImgQueue

struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show a job and every state change it went through, with the reasons.")

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "The job's id, as `upload`, `reorder` and `status` print it.", completion: .jobIDs(.all))
    var jobID: Int64

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() async throws {
        try await Terminal.reportingErrors(database: database) {
            let queue = try database.openExisting()
            let queries = QueueQueries(database: queue)
            if json {
                let job = try await JobListing(database: queue).job(id: jobID)
                try Terminal.printJSON(JobLogJSON(job: job, events: try await queries.events(jobID: jobID)))
                return
            }
            let job = try await queries.job(id: jobID)
            var header = "job \(job.id): \(job.kind.rawValue) for \(job.mod), \(job.state.rawValue)"
            switch job.work {
            case .upload(let upload): header += ", file \(upload.path)"
            case .reorder(let reorder) where !reorder.excludedIDs.isEmpty:
                header += ", removing \(reorder.excludedIDs.joined(separator: ","))"
            case .reorder(let reorder): header += ", images \(reorder.imageIDs.joined(separator: ","))"
            }
            if job.attempts > 0 { header += ", \(job.attempts) failed attempt\(job.attempts == 1 ? "" : "s")" }
            print(header)
            // Local times, with the date when not today; the column as wide as its widest.
            let now = Date().timeIntervalSince1970
            let events = try await queries.events(jobID: jobID)
            let times = events.map { LocalMoment.text($0.at, now: now) }
            let width = times.map(\.count).max() ?? 0
            for (event, time) in zip(events, times) {
                let change = event.fromState.map { $0 == event.toState ? $0 : "\($0) -> \(event.toState)" } ?? event.toState
                print("\(time + String(repeating: " ", count: width - time.count))  \(change)  \(event.reason)")
            }
            if let next = job.nextStep { print("next: \(next)") }
        }
    }
}
