import ModImgQueue

/// How `retry` and `cancel` report what they changed and what they left alone.
enum MaintenanceOutput {
    static func print(_ outcome: QueueMaintenance.Outcome, verb: String) {
        for (id, why) in outcome.skipped.sorted(by: { $0.key < $1.key }) {
            Swift.print("job \(id) left as it is: \(why).")
        }
        Swift.print(
            outcome.changed.isEmpty
                ? "no job \(verb)." : "\(verb): job\(outcome.changed.count == 1 ? "" : "s") \(outcome.changed.map(String.init).joined(separator: ", ")).")
    }
}
