import Hummingbird
import ModImgQueue

/// The paging of a list's address: `limit` (default `PageRequest.defaultLimit`, at most
/// `PageRequest.maximumLimit`), and a cursor from a next link, `before` (newest first) or
/// `after` (oldest first; `oldest_first=1` starts there without one). Anything else is refused
/// with 400 and one sentence (see `Refusal`), never guessed at.
enum PageQuery {
    /// A page's address the dashboard will not guess at: 400 with the sentence that says why, on
    /// a page, or in JSON under `/api/`.
    struct Refusal: HTTPResponseError, Equatable {
        let sentence: String
        var status: HTTPResponse.Status { .badRequest }

        func response(from request: Request, context: some RequestContext) throws -> Response {
            request.uri.path.hasPrefix("/api/")
                ? Responses.jsonError(.badRequest, sentence)
                : Responses.page(MessagePage.message("Bad request", sentence), status: .badRequest)
        }
    }

    static func request(_ query: Hummingbird.Parameters) throws(Refusal) -> PageRequest {
        switch parse(query) {
        case .success(let request): return request
        case .failure(let refusal): throw refusal
        }
    }

    /// `limit`, or the default.
    static func limit(_ query: Hummingbird.Parameters) throws(Refusal) -> Int {
        guard let limit = query.get("limit") else { return PageRequest.defaultLimit }
        guard let value = Int(limit), (1...PageRequest.maximumLimit).contains(value) else {
            throw Refusal(sentence: "limit must be a whole number from 1 to \(PageRequest.maximumLimit), not \(quoted(limit)).")
        }
        return value
    }

    /// `from`, a 0-based position in a list computed whole (a gallery), or 0.
    static func position(_ query: Hummingbird.Parameters) throws(Refusal) -> Int {
        guard let from = query.get("from") else { return 0 }
        guard !from.isEmpty, from.utf8.allSatisfy({ (48...57).contains($0) }), let value = Int(from) else {
            throw Refusal(sentence: "from must be a position in the list (a whole number from 0), not \(quoted(from)).")
        }
        return value
    }

    static func parse(_ query: Hummingbird.Parameters) -> Result<PageRequest, Refusal> {
        var request = PageRequest()
        do {
            request.limit = try limit(query)
        } catch {
            return .failure(error)
        }
        let oldestFirst = query.get("oldest_first").map { ["1", "true"].contains($0) } ?? false
        switch (query.get("before"), query.get("after")) {
        case (nil, nil):
            request.oldestFirst = oldestFirst
        case (let before?, nil):
            guard !oldestFirst else {
                return .failure(Refusal(sentence: "before pages newest first; oldest first pages with after."))
            }
            guard let cursor = cursor(before) else { return .failure(badCursor("before", before)) }
            request.cursor = cursor
        case (nil, let after?):
            guard let cursor = cursor(after) else { return .failure(badCursor("after", after)) }
            request.cursor = cursor
            request.oldestFirst = true
        case (_?, _?):
            return .failure(Refusal(sentence: "Give before or after, not both."))
        }
        return .success(request)
    }

    /// The query parameters that ask for the page after `page`, as `request` asked for this one.
    static func next(after page: Page<some Sendable>, _ request: PageRequest) -> [(String, String?)] {
        guard let next = page.next else { return [] }
        return [
            ("limit", request.limit == PageRequest.defaultLimit ? nil : String(request.limit)),
            (request.oldestFirst ? "after" : "before", String(next)),
        ]
    }

    /// Digits only, above 0: a row id.
    private static func cursor(_ text: String) -> Int64? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (48...57).contains($0) }), let value = Int64(text), value > 0 else { return nil }
        return value
    }

    private static func badCursor(_ name: String, _ value: String) -> Refusal {
        Refusal(sentence: "\(name) must be the position a next link gives (a whole number above 0), not \(quoted(value)).")
    }

    private static func quoted(_ value: String) -> String {
        "\"" + (value.count > 40 ? value.prefix(40) + "…" : value) + "\""
    }
}
