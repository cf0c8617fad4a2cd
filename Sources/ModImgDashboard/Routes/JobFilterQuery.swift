import Hummingbird
import ModImgQueue

/// The filters of a jobs page's address, as its form sends them: `state`, `kind` and `mod`, each
/// left out or empty for any. A value that names nothing is refused with 400 and one sentence.
enum JobFilterQuery {
    struct Filters: Sendable, Equatable {
        var state: JobState?
        var kind: JobKind?
        var mod: String?
    }

    static func filters(_ query: Hummingbird.Parameters) throws(PageQuery.Refusal) -> Filters {
        var filters = Filters()
        if let state = given(query, "state") {
            guard let parsed = JobState(rawValue: state) else {
                throw PageQuery.Refusal(
                    sentence: "state must be one of \(JobState.allCases.map(\.rawValue).joined(separator: ", ")), not \(quoted(state)).")
            }
            filters.state = parsed
        }
        if let kind = given(query, "kind") {
            guard let parsed = JobKind(rawValue: kind) else {
                throw PageQuery.Refusal(sentence: "kind must be upload or reorder, not \(quoted(kind)).")
            }
            filters.kind = parsed
        }
        filters.mod = given(query, "mod")
        return filters
    }

    private static func given(_ query: Hummingbird.Parameters, _ name: String) -> String? {
        guard let value = query.get(name), !value.isEmpty else { return nil }
        return value
    }

    private static func quoted(_ value: String) -> String {
        "\"" + (value.count > 40 ? value.prefix(40) + "…" : value) + "\""
    }
}
