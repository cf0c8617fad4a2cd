import Foundation
import Hummingbird
import ModImgQueue

/// The gallery edits of a mod's page (see `GalleryEditForms`), each a `POST` that `ForgeryCheck`
/// has let through, made into jobs by `GalleryEditor` (nothing goes to the portal here):
/// - `order`: a move button answers the page in the moved draft order, queueing nothing; "save"
///   queues one reorder of the posted order;
/// - `remove`, `add` (multipart/form-data), `take-back`: queue or cancel, then 303 back with a
///   one-line result, refusals included.
struct GalleryRoutes {
    let editor: GalleryEditor
    let queries: QueueQueries
    let listing: JobListing
    let pages: PageRoutes
    let results: ActionResults

    func add(to router: Router<DashboardContext>) {
        router.post("/mods/:mod/order") { request, context in
            guard let mod = Parameters.mod(context) else { return Responses.notFound() }
            var request = request
            let fields = try await FormFields.read(&request)
            let posted = Self.ids(fields["order"])
            if fields["save"] == "yes" { return try await save(mod, posted) }
            let staying = try await queries.gallery(mod: mod).staying
            guard Set(posted) == Set(staying), posted.count == staying.count else {
                let line = "The gallery changed since the page was shown: here it is as the queue will now leave it; arrange it again."
                return try await pages.mod(mod, ActionForms.result(line))
            }
            let draft = fields["move"].map { Self.moved(posted, $0) } ?? posted
            return try await pages.mod(mod, draft: draft)
        }
        router.post("/mods/:mod/remove") { request, context in
            guard let mod = Parameters.mod(context) else { return Responses.notFound() }
            var request = request
            let id = (try await FormFields.read(&request))["remove"]?.lowercased() ?? ""
            guard try await queries.gallery(mod: mod).staying.contains(id) else {
                return redirect(mod, "not removed: image \(id.prefix(12)) is not in the gallery as the queue will leave it; reload the page.")
            }
            let job = try await editor.remove(mod: mod, id: id)
            return redirect(mod, "queued removal job \(job): image \(id.prefix(12)) is shown leaving until it runs.")
        }
        router.post("/mods/:mod/add") { request, context in
            guard let mod = Parameters.mod(context) else { return Responses.notFound() }
            var request = request
            guard let form = try await MultipartForm.read(&request) else {
                return redirect(mod, "nothing added: the form was not sent as multipart/form-data; use the page's form.")
            }
            let files = form.files.filter { $0.field == "files" }
            guard !files.isEmpty else { return redirect(mod, "nothing added: choose image files first.") }
            let count = try await queries.gallery(mod: mod).staying.count
            var position: Int?
            if let text = form.fields["position"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
                guard let number = Int(text), (1...count + 1).contains(number) else {
                    return redirect(mod, "nothing added: the position must be a whole number from 1 to \(count + 1) (or empty for the end).")
                }
                position = number - 1
            }
            let added = try await editor.add(mod: mod, files: files.map { ($0.name, $0.data) }, at: position)
            return redirect(mod, Self.line(added, position: position))
        }
        router.post("/mods/:mod/take-back") { request, context in
            guard let mod = Parameters.mod(context) else { return Responses.notFound() }
            var request = request
            guard let id = (try await FormFields.read(&request))["job"].flatMap(Int64.init),
                let job = try? await listing.job(id: id), job.mod == mod
            else { return redirect(mod, "nothing taken back: that is not a job of \(mod).") }
            let outcome = try await editor.takeBack(job: job.id, by: .dashboard)
            return redirect(mod, ActionResults.line(outcome, done: "taken back", notDone: "taken back"))
        }
    }

    private func save(_ mod: String, _ order: [String]) async throws -> Response {
        if try await queries.gallery(mod: mod).staying == order {
            return redirect(mod, "nothing queued: the gallery is already in this order.")
        }
        do {
            let job = try await editor.saveOrder(mod: mod, order: order)
            return redirect(mod, "queued reorder job \(job): the gallery will be in the order shown.")
        } catch let error as GalleryEditor.EditError {
            return redirect(mod, "order not saved: \(error.description)")
        }
    }

    /// Comma-separated image ids, lowercased.
    static func ids(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
    }

    /// `order` with the image of `move` (`<id>:left` or `<id>:right`) one place that way; the
    /// same order when it cannot move.
    static func moved(_ order: [String], _ move: String) -> [String] {
        let parts = move.split(separator: ":")
        guard parts.count == 2, let index = order.firstIndex(of: parts[0].lowercased()) else { return order }
        let other = parts[1] == "left" ? index - 1 : parts[1] == "right" ? index + 1 : index
        guard other != index, order.indices.contains(other) else { return order }
        var order = order
        order.swapAt(index, other)
        return order
    }

    /// "queued uploads: jobs 7, 8; reorder job 9 puts them at position 1; refused: a.txt: why."
    static func line(_ added: GalleryEditor.Added, position: Int?) -> String {
        var parts: [String] = []
        if added.uploads.isEmpty {
            parts.append("nothing added")
        } else {
            let jobs = added.uploads.map(String.init).joined(separator: ", ")
            parts.append("queued upload\(added.uploads.count == 1 ? "" : "s"): job\(added.uploads.count == 1 ? "" : "s") \(jobs)")
            if let reorder = added.reorder, let position { parts.append("reorder job \(reorder) puts them at position \(position + 1)") }
        }
        for file in added.refused { parts.append("refused \(file.name): \(file.reason)") }
        return parts.joined(separator: "; ") + "."
    }

    private func redirect(_ mod: String, _ line: String) -> Response {
        var response = Response(status: .seeOther)
        response.headers[.location] = Links.path(Links.mod(mod), [("result", String(results.add(line)))])
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
