import ModImgQueue
import Synchronization

/// The one-line results of the latest actions, kept in memory for the page an action redirects
/// to (`?result=N`): the page shows the line the server wrote, never text from the address.
/// Reading one changes nothing, so a reload shows it again.
final class ActionResults: Sendable {
    static let kept = 50
    private let state = Mutex<(next: Int, lines: [Int: String])>((1, [:]))

    /// Keeps `line`, forgetting the oldest beyond `kept`; returns its number.
    func add(_ line: String) -> Int {
        state.withLock { state in
            let number = state.next
            state.next += 1
            state.lines[number] = line
            state.lines[number - Self.kept] = nil
            return number
        }
    }

    func line(_ number: Int?) -> String? {
        guard let number else { return nil }
        return state.withLock { $0.lines[number] }
    }

    /// One line for what `QueueMaintenance` did: "queued again: jobs 3, 4", then what it left
    /// and why ("not cancelled: job 5: a worker (…) holds it until …").
    static func line(_ outcome: QueueMaintenance.Outcome, done: String, notDone: String) -> String {
        func jobs(_ ids: [Int64]) -> String { "job\(ids.count == 1 ? "" : "s") \(ids.map(String.init).joined(separator: ", "))" }
        var parts = [outcome.changed.isEmpty ? "nothing \(done)" : "\(done): \(jobs(outcome.changed.sorted()))"]
        for (id, why) in outcome.held.sorted(by: { $0.key < $1.key }) { parts.append("not \(notDone): job \(id): \(why)") }
        for (id, why) in outcome.skipped.sorted(by: { $0.key < $1.key }) { parts.append("job \(id) left as it is: \(why)") }
        return parts.joined(separator: "; ") + "."
    }
}
