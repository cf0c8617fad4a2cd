import Foundation
import Hummingbird
import ModImgQueue

/// `/api/…`: the CLI's `--json` shapes, through the same encoder. `/api/status` is
/// `status --json`, `/api/mods/<mod>` is `history <mod> --json`, `/api/jobs` is `jobs --json`
/// (filters `state`, `mod`, `kind`, `limit`, `oldest_first`), `/api/jobs/<id>` is `log <id> --json`.
struct APIRoutes {
    let queries: QueueQueries
    let listing: JobListing
    let databasePath: String

    func add(to router: Router<BasicRequestContext>) {
        router.get("/api/status") { _, _ in
            try Responses.json(StatusJSON(try await queries.status(), database: databasePath))
        }
        router.get("/api/mods/:mod") { _, context in
            guard let mod = Parameters.mod(context) else { return Responses.jsonError(.notFound, "no such mod") }
            return try Responses.json(try await queries.history(mod: mod).map(HistoryJSON.init))
        }
        router.get("/api/jobs") { request, _ in try await jobs(request.uri.queryParameters) }
        router.get("/api/jobs/:id") { _, context in
            guard let id = Parameters.jobID(context) else { return Responses.jsonError(.notFound, "no such job") }
            do {
                let job = try await listing.job(id: id)
                return try Responses.json(JobLogJSON(job: job, events: try await queries.events(jobID: id)))
            } catch QueueError.unknownJob {
                return Responses.jsonError(.notFound, "no job \(id)")
            }
        }
    }

    private func jobs(_ query: Hummingbird.Parameters) async throws -> Response {
        var filter = JobFilter()
        if let state = query.get("state") {
            guard let parsed = JobState(rawValue: state) else {
                return Responses.jsonError(
                    .badRequest, "unknown state \(state): one of \(JobState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            filter.state = parsed
        }
        if let kind = query.get("kind") {
            guard let parsed = JobKind(rawValue: kind) else { return Responses.jsonError(.badRequest, "unknown kind \(kind): upload or reorder") }
            filter.kind = parsed
        }
        if let limit = query.get("limit") {
            guard let parsed = Int(limit), parsed >= 1 else { return Responses.jsonError(.badRequest, "limit must be at least 1") }
            filter.limit = parsed
        }
        filter.mod = query.get("mod")
        filter.oldestFirst = query.get("oldest_first") == "1" || query.get("oldest_first") == "true"
        return try Responses.json(try await listing.jobs(filter).map { JobJSON(job: $0) })
    }
}
