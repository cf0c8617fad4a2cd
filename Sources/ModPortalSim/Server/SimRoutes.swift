import Foundation
import FormData
import Hummingbird
import NIOCore

/// Answers every request the way the mod portal would, with the simulator's twists.
struct SimRoutes: Sendable {
    let store: SimStore

    /// Largest upload body collected (the portal takes images of hundreds of megabytes).
    static let maxUploadBytes = 2 * 1024 * 1024 * 1024
    /// Largest `add`/`edit` form body collected.
    static let maxFormBytes = 16 * 1024 * 1024

    var responder: CallbackResponder<SimRequestContext> {
        CallbackResponder { request, context in try await self.respond(to: request, channel: context.channel) }
    }

    func respond(to request: Request, channel: any Channel) async throws -> Response {
        try await SimResponses.$tricks.withValue(store.configuration.tricks) {
            try await respondWithTricks(to: request, channel: channel)
        }
    }

    private func respondWithTricks(to request: Request, channel: any Channel) async throws -> Response {
        let route = SimRoute(method: request.method, path: request.uri.path)
        // The simulator's own control routes are neither recorded nor counted, and never faulted.
        let reception: (index: Int, admission: Admission)? =
            route.isControl
            ? nil
            : store.receive(
                call: route.call,
                method: request.method.rawValue,
                path: request.uri.path,
                authorization: request.headers[.authorization]
            )

        let response: Response?
        switch reception?.admission ?? .proceed {
        case .proceed:
            response = try await handle(route, request)
            await pauseForLatency()
        case .injected(let canned):
            try await drain(request)
            response = canned.response
            await pauseForLatency()
        case .rateLimited:
            try await drain(request)
            response = SimResponses.rateLimited
            await pauseForLatency()
        case .fault(let fault):
            response = try await inject(fault, route, request, channel: channel)
        }
        if let index = reception?.index, let response {
            store.noteStatus(response.status.code, ofRequest: index)
            countTricks(in: response, of: route)
        }
        return response ?? ConnectionDrop.unsent
    }

    /// Answers (or not) as `fault` says; the modes that process the request call `handle` first.
    /// Returns nil when the connection was dropped without an answer.
    private func inject(
        _ fault: FaultAction,
        _ route: SimRoute,
        _ request: Request,
        channel: any Channel
    ) async throws -> Response? {
        switch fault {
        case .reset:
            try await drain(request)
            await pauseForLatency()
            await ConnectionDrop.reset(channel)
            return nil
        case .internalError:
            try await drain(request)
            await pauseForLatency()
            return SimResponses.transientFailure
        case .htmlError(let status):
            try await drain(request)
            await pauseForLatency()
            return SimResponses.htmlError(status)
        case .burst429:
            try await drain(request)
            await pauseForLatency()
            return SimResponses.rateLimited
        case .truncated:
            let response = try await handle(route, request)
            await pauseForLatency()
            return try await TruncatedAnswer.make(from: response, closing: channel)
        case .slow(let milliseconds):
            let response = try await handle(route, request)
            await pauseForLatency()
            try? await Task.sleep(for: .milliseconds(milliseconds))
            return response
        case .lostUpload:
            _ = try await handle(route, request)
            await pauseForLatency()
            await ConnectionDrop.close(channel)
            return nil
        case .drip(let milliseconds):
            let response = try await handle(route, request)
            await pauseForLatency()
            return try await DrippedAnswer.make(from: response, byteEvery: milliseconds)
        case .html404:
            try await drain(request)
            await pauseForLatency()
            return SimResponses.htmlError(404)
        }
    }

    /// Counts the tricks that shaped `response` (the listing lag and already-exists count themselves).
    private func countTricks(in response: Response, of route: SimRoute) {
        let tricks = store.configuration.tricks
        let status = response.status.code
        if tricks.retryAfter != nil, status == 429 || status == 503 { store.count(.retryAfter) }
        let isJSON = response.headers[.contentType] == "application/json"
        if tricks.escapeMessages, status >= 400, isJSON { store.count(.escapeMessages) }
        if tricks.upperCaseIDs, status == 200, isJSON, [.upload, .edit, .full].contains(route.call) {
            store.count(.upperCaseIDs)
        }
    }

    private func pauseForLatency() async {
        let latency = store.configuration.latencyMilliseconds
        if latency > 0 {
            try? await Task.sleep(for: .milliseconds(latency))
        }
    }

    // MARK: Routes

    private func handle(_ route: SimRoute, _ request: Request) async throws -> Response {
        switch route {
        case .add: try await add(request)
        case .upload(let token): try await upload(request, token: token)
        case .edit: try await edit(request)
        case .full(let mod): try await full(request, mod: mod)
        case .state: try await state(request)
        case .requests: try await requests(request)
        case .asset(let id): try await asset(request, id: id)
        case .notFound: try await notFound(request)
        }
    }

    private func add(_ request: Request) async throws -> Response {
        if store.configuration.tricks.echoAuthorization {
            try await drain(request)
            store.count(.echoAuthorization)
            return SimResponses.echoedAuthorization(request.headers[.authorization] ?? "")
        }
        guard isAuthorized(request) else {
            try await drain(request)
            return SimResponses.invalidAPIKey
        }
        let fields: [String: String]
        switch try await formFields(request) {
        case .success(let decoded): fields = decoded
        case .failure(let error): return error.response
        }
        guard let mod = fields["mod"], !mod.isEmpty else { return SimResponses.invalidRequest("Missing field: mod") }
        if let refusal = refusal(forEditing: mod) { return refusal }
        let token = store.issueToken(for: mod)
        return SimResponses.json(200, SimResponses.AddAnswer(uploadURL: "\(base)\(SimRoute.uploadPrefix)\(token)"))
    }

    private func upload(_ request: Request, token: String) async throws -> Response {
        guard store.mod(ofToken: token) != nil else {
            try await drain(request)
            return SimResponses.unknownUploadURL
        }
        guard let boundary = MultipartParser.boundary(contentType: request.headers[.contentType]) else {
            try await drain(request)
            return SimResponses.invalidRequest("Expected a multipart/form-data body with an image field")
        }
        let body: ByteBuffer
        switch try await collect(request, upTo: Self.maxUploadBytes) {
        case .success(let collected): body = collected
        case .failure(let error): return error.response
        }

        enum Outcome {
            case stored(String, Data?)
            case rejected(Response)
        }
        let outcome: Outcome = body.withUnsafeReadableBytes { bytes in
            guard let parts = try? MultipartParser.parse(bytes, boundary: boundary) else {
                return .rejected(SimResponses.invalidRequest("Malformed multipart/form-data body"))
            }
            guard let image = parts.first(where: { $0.name == "image" }) else {
                return .rejected(SimResponses.invalidRequest("Missing field: image"))
            }
            let imageBytes = UnsafeRawBufferPointer(rebasing: bytes[image.range])
            guard ImageBytes.isSupportedImage(imageBytes) else { return .rejected(SimResponses.invalidImage) }
            return .stored(ImageBytes.sha1Hex(imageBytes), store.assets.hasRoom(for: imageBytes.count) ? Data(imageBytes) : nil)
        }

        switch outcome {
        case .rejected(let response):
            return response
        case .stored(let id, let data):
            // The token may have been used or expired while the body was arriving.
            switch store.completeUpload(token: token, imageID: id) {
            case .stored:
                if let data { store.assets.keep(data, id: id) }
                return SimResponses.json(200, SimResponses.image(id, base: base))
            case .alreadyExists: return SimResponses.alreadyExists(id)
            case .tokenNotLive: return SimResponses.unknownUploadURL
            }
        }
    }

    private func edit(_ request: Request) async throws -> Response {
        guard isAuthorized(request) else {
            try await drain(request)
            return SimResponses.invalidAPIKey
        }
        let fields: [String: String]
        switch try await formFields(request) {
        case .success(let decoded): fields = decoded
        case .failure(let error): return error.response
        }
        guard let mod = fields["mod"], !mod.isEmpty else { return SimResponses.invalidRequest("Missing field: mod") }
        if let refusal = refusal(forEditing: mod) { return refusal }
        guard let list = fields["images"] else { return SimResponses.invalidRequest("Missing field: images") }

        var ids: [String] = []
        for piece in list.split(separator: ",") {
            // Ids are SHA1s: either case names the same image.
            let id = piece.trimmingCharacters(in: .whitespaces).lowercased()
            if !id.isEmpty, !ids.contains(id) { ids.append(id) }
        }
        switch store.edit(mod: mod, ids: ids) {
        case .unknownID(let id):
            return SimResponses.invalidRequest("Unknown image id for mod \(mod): \(id)")
        case .updated(let gallery):
            let images = gallery.map { SimResponses.image($0, base: base) }
            return SimResponses.json(200, SimResponses.EditAnswer(success: true, images: images))
        }
    }

    private func full(_ request: Request, mod: String) async throws -> Response {
        try await drain(request)
        guard store.exists(mod: mod) else { return SimResponses.json(404, SimResponses.MessageOnly(message: "Mod not found")) }
        let images = store.listing(of: mod).map { SimResponses.image($0, base: base) }
        return SimResponses.json(200, SimResponses.FullAnswer(name: mod, title: mod, owner: "sim", images: images))
    }

    private func state(_ request: Request) async throws -> Response {
        try await drain(request)
        return SimResponses.json(200, store.state)
    }

    /// The request log, in arrival order, without `Authorization` values (`authorized` says whether there was one).
    private func requests(_ request: Request) async throws -> Response {
        try await drain(request)
        return SimResponses.json(200, store.recordedRequests.map(RequestLogEntry.init))
    }

    private func asset(_ request: Request, id: String) async throws -> Response {
        try await drain(request)
        guard let data = store.assets.image(id: id) else { return SimResponses.notFound }
        let type = data.starts(with: [0xFF, 0xD8, 0xFF]) ? "image/jpeg" : data.starts(with: Array("GIF".utf8)) ? "image/gif" : "image/png"
        return Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "max-age=3600"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private func notFound(_ request: Request) async throws -> Response {
        try await drain(request)
        return SimResponses.notFound
    }

    // MARK: Helpers

    private var base: String { store.baseURL ?? "" }

    private func isAuthorized(_ request: Request) -> Bool {
        request.headers[.authorization] == "Bearer \(store.configuration.apiKey)"
    }

    /// The answer refusing changes to `mod`, if the key may not change it.
    private func refusal(forEditing mod: String) -> Response? {
        switch store.status(ofMod: mod) {
        case .exists: nil
        case .unknown: SimResponses.unknownMod
        case .forbidden: SimResponses.forbidden
        }
    }

    private func formFields(_ request: Request) async throws -> Result<[String: String], ResponseError> {
        let body: ByteBuffer
        switch try await collect(request, upTo: Self.maxFormBytes) {
        case .success(let collected): body = collected
        case .failure(let error): return .failure(error)
        }
        let contentType = request.headers[.contentType]
        let fields = body.withUnsafeReadableBytes { try? FormFields.decode($0, contentType: contentType) }
        guard let fields else {
            return .failure(ResponseError(SimResponses.invalidRequest("Malformed form body")))
        }
        return .success(fields)
    }

    /// Reads the whole body (the real portal's proxy buffers bodies before answering too).
    private func collect(_ request: Request, upTo limit: Int) async throws -> Result<ByteBuffer, ResponseError> {
        var buffer = ByteBuffer()
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > 0, declared <= limit {
            buffer.reserveCapacity(declared)
        }
        var iterator = request.body.makeAsyncIterator()
        var tooLarge = false
        while let chunk = try await iterator.next() {
            guard !tooLarge else { continue }
            if buffer.readableBytes + chunk.readableBytes > limit {
                tooLarge = true
                buffer = ByteBuffer()
                continue
            }
            var chunk = chunk
            buffer.writeBuffer(&chunk)
        }
        return tooLarge ? .failure(ResponseError(SimResponses.tooLarge)) : .success(buffer)
    }

    /// Reads and drops the body, so an early answer still comes after the whole request, as from the real portal.
    private func drain(_ request: Request) async throws {
        for try await _ in request.body {}
    }
}

/// An error answer carried through a `Result`.
struct ResponseError: Error {
    let response: Response
    init(_ response: Response) { self.response = response }
}
