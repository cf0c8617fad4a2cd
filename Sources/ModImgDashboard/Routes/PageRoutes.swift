import Foundation
import Hummingbird
import ModImgQueue

/// The HTML pages: overview, a mod, a job, and the paged lists of a mod's jobs, history and gallery.
struct PageRoutes {
    let queries: QueueQueries
    let listing: JobListing
    let databasePath: String
    /// The queue actions' forms; nil with `--read-only`.
    let forms: ActionForms?
    /// The results of the latest actions, shown on the page one redirected to (`?result=N`).
    let results: ActionResults

    func add(to router: Router<DashboardContext>) {
        router.get("/") { request, _ in try await overview(request.uri.queryParameters, result(request)) }
        router.get("/jobs") { request, _ in try await jobs(request.uri.queryParameters) }
        router.get("/mods/:mod") { request, context in try await mod(Parameters.mod(context), result(request)) }
        router.get("/mods/:mod/jobs") { request, context in
            try await modJobs(Parameters.mod(context), request.uri.queryParameters)
        }
        router.get("/mods/:mod/history") { request, context in
            try await modHistory(Parameters.mod(context), request.uri.queryParameters)
        }
        router.get("/mods/:mod/gallery") { request, context in
            try await modGallery(Parameters.mod(context), request.uri.queryParameters)
        }
        router.get("/jobs/:id") { request, context in try await job(Parameters.jobID(context), result(request)) }
    }

    /// The result line of the action that redirected here, as a notice.
    private func result(_ request: Request) -> HTML {
        ActionForms.result(results.line(request.uri.queryParameters["result"].flatMap { Int(String($0)) }))
    }

    func overview(_ query: Hummingbird.Parameters, _ result: HTML = "") async throws -> Response {
        let now = Date().timeIntervalSince1970
        let status = try await queries.status(now: now)
        let actions = result + (forms?.overview(failed: status.total.failed) ?? "")
        let activity = try await queries.activity(
            now: now, open: status.total.queued + status.total.added, queued: status.total.queued,
            portalPausedUntil: status.portalPausedUntil)
        let search = query.get("q").flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        return Responses.page(
            OverviewPage(status: status, databasePath: databasePath, now: now, actions: actions, activity: activity, search: search).html)
    }

    /// `/jobs`: every mod's jobs, filtered by state, kind and mod.
    func jobs(_ query: Hummingbird.Parameters) async throws -> Response {
        let request = try PageQuery.request(query)
        let filters = try JobFilterQuery.filters(query)
        let filter = JobFilter(
            state: filters.state, mod: filters.mod, kind: filters.kind, limit: request.limit, oldestFirst: request.oldestFirst,
            cursor: request.cursor)
        let form = JobFilterForm(action: "/jobs", filters: filters, choosesMod: true)
        return Responses.page(JobsPage(page: try await listing.page(filter), request: request, form: form).html)
    }

    /// `/mods/<mod>`; `draft`, an order of the gallery's staying images a move button posted,
    /// shows them in that order (nothing queued).
    func mod(_ name: String?, _ result: HTML = "", draft: [String]? = nil) async throws -> Response {
        guard let name else { return Responses.notFound() }
        let gallery = try await queries.gallery(mod: name, window: 0..<ModPage.galleryScreenful)
        let history = try await queries.history(mod: name, page: PageRequest(limit: ModPage.listPreview))
        let jobs = try await listing.page(JobFilter(mod: name, limit: ModPage.listPreview))
        guard gallery.count > 0 || !history.items.isEmpty || !jobs.items.isEmpty else {
            return Responses.notFound("This queue knows no mod named \(name).")
        }
        var unreadable = try await unreadableFiles(gallery.items)
        var actions = result
        var editing: GalleryEditForms?
        if let forms {
            // Editing sends the order of every image, not only those shown.
            let whole = gallery.count > gallery.items.count ? try await queries.gallery(mod: name) : gallery
            let pending = try await listing.jobs(JobFilter(state: .queued, mod: name, oldestFirst: true))
                + listing.jobs(JobFilter(state: .added, mod: name, oldestFirst: true))
            editing = GalleryEditForms(
                csrf: forms.csrf, mod: name, gallery: whole, draft: draft, pending: pending.sorted { $0.id < $1.id })
            if let editing, draft != nil {
                unreadable = try await unreadableFiles(Array(editing.shown.prefix(ModPage.galleryScreenful)))
            }
            let failed = try await listing.page(JobFilter(state: .failed, mod: name, limit: 1))
            let open = try await listing.page(JobFilter(state: .queued, mod: name, limit: 1)).items
                + listing.page(JobFilter(state: .added, mod: name, limit: 1)).items
            actions = actions + forms.mod(name, hasFailed: !failed.items.isEmpty, hasOpen: !open.isEmpty)
        }
        return Responses.page(
            ModPage(gallery: gallery, history: history, jobs: jobs, unreadableFiles: unreadable, actions: actions, editing: editing).html)
    }

    func modJobs(_ name: String?, _ query: Hummingbird.Parameters) async throws -> Response {
        guard let name else { return Responses.notFound() }
        let request = try PageQuery.request(query)
        var filters = try JobFilterQuery.filters(query)
        filters.mod = nil
        let filter = JobFilter(
            state: filters.state, mod: name, kind: filters.kind, limit: request.limit, oldestFirst: request.oldestFirst,
            cursor: request.cursor)
        return Responses.page(ModListPage(jobsOf: name, page: try await listing.page(filter), request: request, filters: filters).html)
    }

    func modHistory(_ name: String?, _ query: Hummingbird.Parameters) async throws -> Response {
        guard let name else { return Responses.notFound() }
        let request = try PageQuery.request(query)
        let page = try await queries.history(mod: name, page: request)
        return Responses.page(ModListPage(historyOf: name, page: page, request: request).html)
    }

    func modGallery(_ name: String?, _ query: Hummingbird.Parameters) async throws -> Response {
        guard let name else { return Responses.notFound() }
        let (from, limit) = (try PageQuery.position(query), try PageQuery.limit(query))
        let (end, overflow) = from.addingReportingOverflow(limit)
        let gallery = try await queries.gallery(mod: name, window: from..<(overflow ? Int.max : end))
        let unreadable = try await unreadableFiles(gallery.items)
        return Responses.page(ModGalleryPage(gallery: gallery, limit: limit, unreadableFiles: unreadable).html)
    }

    func job(_ id: Int64?, _ result: HTML = "") async throws -> Response {
        guard let id else { return Responses.notFound() }
        do {
            let job = try await listing.job(id: id)
            let actions = result + (forms?.job(job) ?? "")
            return Responses.page(JobPage(job: job, events: try await queries.events(jobID: id), actions: actions).html)
        } catch QueueError.unknownJob {
            return Responses.notFound("This queue has no job \(id).")
        }
    }

    /// The failed uploads among `items` whose file no longer reads as it was queued (a changed
    /// or gone file may be what failed them): those get no picture. Only the images shown are
    /// opened, each open reading its whole file to check it.
    private func unreadableFiles(_ items: [GalleryPreview.Item]) async throws -> Set<Int64> {
        var unreadable = Set<Int64>()
        for item in items where item.standing == .failed {
            if let job = item.job, try await !queries.imageIsReadable(ofJob: job) { unreadable.insert(job) }
        }
        return unreadable
    }
}

/// Route parameters, read strictly.
enum Parameters {
    static func mod(_ context: DashboardContext) -> String? {
        guard let raw = context.parameters.get("mod"), let name = raw.removingPercentEncoding, !name.isEmpty else { return nil }
        return name
    }

    /// Digits only: a job id, never a path.
    static func jobID(_ context: DashboardContext) -> Int64? {
        guard let raw = context.parameters.get("id"), !raw.isEmpty, raw.utf8.allSatisfy({ (48...57).contains($0) }) else {
            return nil
        }
        return Int64(raw)
    }
}
