import ArgumentParser
import ModImgQueue

/// How `retry` and `cancel` report what they changed and what they left alone.
enum MaintenanceOutput {
    /// Exits 1 when a live claim held any job asked about.
    static func print(_ outcome: QueueMaintenance.Outcome, verb: String) throws {
        for (id, why) in outcome.skipped.sorted(by: { $0.key < $1.key }) {
            Swift.print("job \(id) left as it is: \(why).")
        }
        for (id, why) in outcome.held.sorted(by: { $0.key < $1.key }) {
            Terminal.error("job \(id) was not \(verb): \(why).")
        }
        Swift.print(
            outcome.changed.isEmpty
                ? "no job \(verb)." : "\(verb): job\(outcome.changed.count == 1 ? "" : "s") \(outcome.changed.map(String.init).joined(separator: ", ")).")
        if !outcome.held.isEmpty { throw ExitCode(1) }
    }
}
