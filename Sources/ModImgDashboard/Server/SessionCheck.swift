import Hummingbird

/// Lets through only requests carrying the launch's session cookie. A request whose query has
/// the launch's `token` (the URL `serve` printed) gets the cookie — `HttpOnly`, `SameSite=Strict`,
/// `Path=/` — and a 303 to the same path without the token, so the token leaves the address bar
/// and the history. Everything else, pages, `/api/…`, `/files/…` and `/events` alike, is 401 with
/// a sentence saying to open that URL. Secrets are compared in constant time.
struct SessionCheck<Context: RequestContext>: RouterMiddleware {
    let secrets: LaunchSecrets

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let name = LaunchSecrets.cookieName(authority: request.head.authority)
        if let token = request.uri.queryParameters["token"] {
            guard LaunchSecrets.same(String(token), secrets.token) else { return refused(request, "That token is not this launch's.") }
            var response = Response(status: .seeOther)
            response.headers[.location] = Self.pathWithoutToken(request.uri.path, query: request.uri.query)
            response.headers[.cacheControl] = "no-store"
            response.headers[.init("Referrer-Policy")!] = "no-referrer"
            response.headers[.setCookie] = "\(name)=\(secrets.session); Path=/; HttpOnly; SameSite=Strict"
            return response
        }
        guard LaunchSecrets.same(request.cookies[name]?.value, secrets.session) else {
            return refused(request, "This browser has no session with this dashboard.")
        }
        return try await next(request, context)
    }

    private func refused(_ request: Request, _ why: String) -> Response {
        let sentence = "\(why) Open the URL `modimg-queue serve` printed when it started (with its ?token=…); it is new at every start."
        if request.uri.path.hasPrefix("/api/") { return Responses.jsonError(.unauthorized, sentence) }
        return Responses.page(SignInPage.html(why), status: .unauthorized)
    }

    /// The request's path and query, without any `token` parameter.
    static func pathWithoutToken(_ path: String, query: String?) -> String {
        let path = path.hasPrefix("/") && !path.hasPrefix("//") ? path : "/"
        let kept = (query ?? "").split(separator: "&").filter { !$0.hasPrefix("token=") && $0 != "token" }
        return kept.isEmpty ? path : path + "?" + kept.joined(separator: "&")
    }
}
