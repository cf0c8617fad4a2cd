import Foundation
import Hummingbird
import ModImgQueue

/// `/api/…`: the CLI's `--json` shapes, through the same encoder. `/api/status` is
/// `status --json`, `/api/mods/<mod>` a page of `history <mod> --json` (newest first unless
/// `oldest_first`), `/api/jobs` a page of `jobs --json` (filters `state`, `mod`, `kind`),
/// `/api/jobs/<id>` is `log <id> --json`. The lists are paged (`limit`, `before`, `after`, see
/// `PageQuery`); the next page's address is in the `Link` header (`rel="next"`), so the body
/// keeps the CLI's shape.
struct APIRoutes {
    let queries: QueueQueries
    let listing: JobListing
    let databasePath: String

    func add(to router: Router<DashboardContext>) {
        router.get("/api/status") { _, _ in
            try Responses.json(StatusJSON(try await queries.status(), database: databasePath))
        }
        router.get("/api/mods/:mod") { request, context in
            guard let mod = Parameters.mod(context) else { return Responses.jsonError(.notFound, "no such mod") }
            let query = request.uri.queryParameters
            let pageRequest = try PageQuery.request(query)
            let page = try await queries.history(mod: mod, page: pageRequest)
            return try Responses.json(
                page.items.map(HistoryJSON.init),
                next: next("/api/mods/" + Links.component(mod), query, keeping: ["oldest_first"], page, pageRequest))
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
        let pageRequest = try PageQuery.request(query)
        var filter = JobFilter(limit: pageRequest.limit, oldestFirst: pageRequest.oldestFirst, cursor: pageRequest.cursor)
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
        filter.mod = query.get("mod")
        let page = try await listing.page(filter)
        return try Responses.json(
            page.items.map { JobJSON(job: $0) },
            next: next("/api/jobs", query, keeping: ["state", "mod", "kind", "oldest_first"], page, pageRequest))
    }

    /// The address of the page after `page`: this one's, with the filters `keeping` names as
    /// given and the cursor moved on; nil after the last page.
    private func next(
        _ path: String, _ query: Hummingbird.Parameters, keeping: [String], _ page: Page<some Sendable>, _ request: PageRequest
    ) -> String? {
        guard page.next != nil else { return nil }
        return Links.path(path, keeping.map { ($0, query.get($0)) } + PageQuery.next(after: page, request))
    }
}
