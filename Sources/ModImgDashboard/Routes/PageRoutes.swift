import Foundation
import Hummingbird
import ModImgQueue

/// The HTML pages: overview, a mod, a job.
struct PageRoutes {
    let queries: QueueQueries
    let listing: JobListing
    let databasePath: String

    func add(to router: Router<BasicRequestContext>) {
        router.get("/") { _, _ in try await overview() }
        router.get("/mods/:mod") { _, context in try await mod(Parameters.mod(context)) }
        router.get("/jobs/:id") { _, context in try await job(Parameters.jobID(context)) }
    }

    func overview() async throws -> Response {
        let now = Date().timeIntervalSince1970
        let status = try await queries.status(now: now)
        return Responses.page(OverviewPage(status: status, databasePath: databasePath, now: now).html)
    }

    func mod(_ name: String?) async throws -> Response {
        guard let name else { return Responses.notFound() }
        let gallery = try await queries.gallery(mod: name)
        let history = try await queries.history(mod: name)
        let jobs = try await listing.jobs(JobFilter(mod: name))
        guard !gallery.items.isEmpty || !history.isEmpty || !jobs.isEmpty else {
            return Responses.notFound("This queue knows no mod named \(name).")
        }
        // A failed upload's file may be what failed it (changed, gone): shown only if it still reads.
        var unreadable = Set<Int64>()
        for item in gallery.items where item.standing == .failed {
            if let job = item.job, try await !queries.imageIsReadable(ofJob: job) { unreadable.insert(job) }
        }
        return Responses.page(ModPage(gallery: gallery, history: history, jobs: jobs, unreadableFiles: unreadable).html)
    }

    func job(_ id: Int64?) async throws -> Response {
        guard let id else { return Responses.notFound() }
        do {
            let job = try await listing.job(id: id)
            return Responses.page(JobPage(job: job, events: try await queries.events(jobID: id)).html)
        } catch QueueError.unknownJob {
            return Responses.notFound("This queue has no job \(id).")
        }
    }
}

/// Route parameters, read strictly.
enum Parameters {
    static func mod(_ context: BasicRequestContext) -> String? {
        guard let raw = context.parameters.get("mod"), let name = raw.removingPercentEncoding, !name.isEmpty else { return nil }
        return name
    }

    /// Digits only: a job id, never a path.
    static func jobID(_ context: BasicRequestContext) -> Int64? {
        guard let raw = context.parameters.get("id"), !raw.isEmpty, raw.utf8.allSatisfy({ (48...57).contains($0) }) else {
            return nil
        }
        return Int64(raw)
    }
}
