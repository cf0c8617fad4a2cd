import SQLiteStore

extension JobState {
    /// The states of a job still to run: queued, or added (its `add` made, its upload pending).
    public static let open: [JobState] = [.queued, .added]

    public var isOpen: Bool { Self.open.contains(self) }
}

/// The queue's SQL predicates, named once: every statement that asks whether a job is open
/// uses these, not its own copy of the state list.
enum JobSQL {
    /// `('queued', 'added')`
    static let openStates = "(" + JobState.open.map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")"

    /// `state IN ('queued', 'added')`, of `table` when given.
    static func isOpen(_ table: String? = nil) -> String {
        "\(table.map { "\($0)." } ?? "")state IN \(openStates)"
    }

    /// `state IN (?, ?, …)` and its bindings, for a state list chosen at run time.
    static func stateIn(_ states: [JobState], of table: String? = nil) -> (sql: String, bindings: [any SQLiteBindable]) {
        ("\(table.map { "\($0)." } ?? "")state IN (\(states.map { _ in "?" }.joined(separator: ", ")))", states.map(\.rawValue))
    }
}
