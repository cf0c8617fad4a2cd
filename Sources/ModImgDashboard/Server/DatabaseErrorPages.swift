import Hummingbird
import ModImgQueue

/// When the queue database fails a request — deleted or replaced while `serve` runs, locked,
/// damaged — answers a page (under `/api/`, JSON) with the sentence that says so and logs it,
/// instead of an empty 500. The router's own answers (404) pass through.
struct DatabaseErrorPages<Context: RequestContext>: RouterMiddleware {
    let databasePath: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            throw error
        } catch {
            let sentence = QueueError.sentence(for: error, databasePath: databasePath)
            context.logger.error("\(request.method) \(request.uri.path): \(sentence)")
            let status: HTTPResponse.Status = error is QueueError ? .serviceUnavailable : .internalServerError
            if request.uri.path.hasPrefix("/api/") { return Responses.jsonError(status, sentence) }
            return Responses.page(MessagePage.message("Queue unavailable", sentence), status: status)
        }
    }
}
