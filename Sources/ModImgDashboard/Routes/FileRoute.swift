import Hummingbird
import ModImgQueue

/// `/files/<job-id>`: the image file an upload job names, looked up by the job's id (never a
/// path from the URL), read with the worker's safe open, served as the image type its bytes
/// show. Anything else is 404.
struct FileRoute {
    let queries: QueueQueries

    func add(to router: Router<BasicRequestContext>) {
        router.get("/files/:id") { _, context in
            guard let id = Parameters.jobID(context), let data = try await queries.imageBytes(ofJob: id),
                let contentType = ImageSniffing.contentType(of: data)
            else { return Responses.notFound("No image file of a queued or uploaded job here.") }
            return Responses.image(data, contentType: contentType)
        }
    }
}
