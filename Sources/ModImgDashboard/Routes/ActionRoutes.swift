import Hummingbird
import ModImgQueue

/// The queue actions, each a `POST` (`ForgeryCheck` has checked its origin and CSRF token
/// before it gets here) through the CLI's own `QueueMaintenance` calls, with their refusals (a
/// claim a worker holds, a job in another state), and the event log saying the dashboard asked.
/// Each ends in a 303 back to its page with a one-line result; a cancel first answers the page
/// that lists what it will drop, and acts only on that page's confirming post.
struct ActionRoutes {
    let maintenance: QueueMaintenance
    let listing: JobListing
    let forms: ActionForms
    let results: ActionResults

    func add(to router: Router<DashboardContext>) {
        router.post("/jobs/:id/retry") { _, context in
            guard let id = Parameters.jobID(context) else { return Responses.notFound() }
            return try await act(back: Links.job(id), done: "queued again", notDone: "retried") {
                try await maintenance.retry(.jobs([id]), by: .dashboard)
            }
        }
        router.post("/jobs/:id/cancel") { request, context in
            guard let id = Parameters.jobID(context) else { return Responses.notFound() }
            let job: JobSummary
            do { job = try await listing.job(id: id) } catch QueueError.unknownJob { return Responses.notFound("This queue has no job \(id).") }
            return try await cancel(request, back: Links.job(id), action: Links.job(id) + "/cancel", open: job.state.isOpen ? [job] : []) {
                $0 == id
            }
        }
        router.post("/mods/:mod/retry") { _, context in
            guard let mod = Parameters.mod(context) else { return Responses.notFound() }
            return try await act(back: Links.mod(mod), done: "queued again", notDone: "retried") {
                try await maintenance.retry(.all(mod: mod), by: .dashboard)
            }
        }
        router.post("/mods/:mod/cancel") { request, context in
            guard let mod = Parameters.mod(context) else { return Responses.notFound() }
            let open = try await listing.jobs(JobFilter(state: .queued, mod: mod, oldestFirst: true))
                + listing.jobs(JobFilter(state: .added, mod: mod, oldestFirst: true))
            return try await cancel(request, back: Links.mod(mod), action: Links.mod(mod) + "/cancel", open: open.sorted { $0.id < $1.id }) {
                (try? await listing.job(id: $0).mod) == mod
            }
        }
        router.post(RouterPath(stringLiteral: ActionForms.retryFailedPath)) { _, _ in
            try await act(back: "/", done: "queued again", notDone: "retried") {
                try await maintenance.retry(.all(mod: nil), by: .dashboard)
            }
        }
    }

    /// Without `confirm=yes`, the page listing `open`; with it, cancels the jobs that page listed
    /// (its `job` fields, those `belongs` keeps), each still checked by `QueueMaintenance.cancel`.
    private func cancel(
        _ request: Request, back: String, action: String, open: [JobSummary], belongs: (Int64) async -> Bool
    ) async throws -> Response {
        var request = request
        let fields = try await FormFields.read(&request)
        guard fields["confirm"] == "yes" else { return Responses.page(forms.confirmation(cancelling: open, action: action, back: back)) }
        var ids: [Int64] = []
        for id in fields.all("job").compactMap(Int64.init) where await belongs(id) { ids.append(id) }
        guard !ids.isEmpty else { return redirect(back, results.add("nothing cancelled.")) }
        return try await act(back: back, done: "cancelled", notDone: "cancelled") {
            try await maintenance.cancel(.jobs(ids), by: .dashboard)
        }
    }

    private func act(
        back: String, done: String, notDone: String, _ change: () async throws -> QueueMaintenance.Outcome
    ) async throws -> Response {
        let outcome: QueueMaintenance.Outcome
        do {
            outcome = try await change()
        } catch QueueError.unknownJob(let id) {
            return redirect(back, results.add("not \(notDone): this queue has no job \(id) any more."))
        }
        return redirect(back, results.add(ActionResults.line(outcome, done: done, notDone: notDone)))
    }

    private func redirect(_ path: String, _ result: Int) -> Response {
        var response = Response(status: .seeOther)
        response.headers[.location] = Links.path(path, [("result", String(result))])
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
