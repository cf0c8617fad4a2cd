import Hummingbird
import ModImgQueue

/// `/files/<job-id>`: the image file an upload job names, looked up by the job's id (never a
/// path from the URL), opened with the worker's safe open and streamed from that descriptor,
/// as the image type its bytes show; one range of it on request (`Range: bytes=a-b` → 206, a
/// range it cannot serve → 416). Anything else is 404.
struct FileRoute {
    let queries: QueueQueries

    func add(to router: Router<DashboardContext>) {
        router.get("/files/:id") { request, context in
            guard let id = Parameters.jobID(context), let image = try await queries.imageFile(ofJob: id),
                let contentType = ImageSniffing.contentType(of: image.head)
            else { return Responses.notFound("No image file of a queued or uploaded job here.") }
            switch ByteRange.of(request.headers[.range], size: image.size) {
            case .whole:
                return Responses.image(
                    image, contentType: contentType, range: 0..<image.size, partial: false, eventLoop: context.channel.eventLoop)
            case .part(let range):
                return Responses.image(image, contentType: contentType, range: range, partial: true, eventLoop: context.channel.eventLoop)
            case .unsatisfiable: return Responses.rangeNotSatisfiable(size: image.size)
            }
        }
    }
}
