import Hummingbird

/// On a loopback bind, answers 403 to a request whose `Host` is not a loopback name: a web page
/// that rebinds its own domain name to 127.0.0.1 (DNS rebinding) cannot read the dashboard
/// through the visitor's browser. A request without a host (HTTP/1.0) is let through.
struct LoopbackHostCheck<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let authority = request.head.authority, !BindAddress.isLoopback(host: Self.hostName(authority)) {
            return Responses.page(
                MessagePage.message("Refused", "This dashboard answers only to 127.0.0.1, localhost or [::1]."), status: .forbidden)
        }
        return try await next(request, context)
    }

    /// The host of a `Host` value, without its port: `[::1]:8377` → `::1`, `localhost:8377` → `localhost`.
    static func hostName(_ authority: String) -> String {
        if authority.hasPrefix("["), let end = authority.firstIndex(of: "]") {
            return String(authority[authority.index(after: authority.startIndex)..<end])
        }
        if authority.filter({ $0 == ":" }).count == 1, let colon = authority.firstIndex(of: ":") {
            return String(authority[..<colon])
        }
        return authority
    }
}
