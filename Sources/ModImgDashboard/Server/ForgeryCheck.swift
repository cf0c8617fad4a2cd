import Hummingbird

/// Every request but `GET` and `HEAD` changes something, so each must come from a form of this
/// dashboard: its `Origin`, when sent, is the served origin; its `Sec-Fetch-Site`, when sent, is
/// `same-origin` (a page of another local port is `same-site`, and refused); its body carries the
/// session's CSRF token as the field `csrf`. Anything else is 403 before a route runs, so nothing
/// changes. With `readOnly`, every such request is 405: that dashboard changes nothing.
struct ForgeryCheck<Context: RequestContext>: RouterMiddleware {
    let secrets: LaunchSecrets
    let readOnly: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method != .get && request.method != .head else { return try await next(request, context) }
        if readOnly {
            return Responses.page(
                MessagePage.message("Read only", "This dashboard was started with --read-only: it changes nothing. Use the CLI, or serve without --read-only."),
                status: .methodNotAllowed)
        }
        if let origin = request.headers[.origin], origin != Self.servedOrigin(request) {
            return refused("The request came from another site (\(origin)).")
        }
        if let site = request.headers[.init("Sec-Fetch-Site")!], site != "same-origin" {
            return refused("The request came from a page that is not this dashboard's (\(site)).")
        }
        var request = request
        let fields: FormFields
        do {
            fields = try await FormFields.read(&request)
        } catch let problem as MultipartForm.Problem {
            return Responses.page(MessagePage.message("Bad form", problem.description), status: .badRequest)
        }
        guard LaunchSecrets.same(fields["csrf"], secrets.csrfToken) else {
            return refused("The form carries no valid token of this session (a page from before serve restarted?).")
        }
        return try await next(request, context)
    }

    /// `http://` and the `Host` the request named; nil without a host.
    static func servedOrigin(_ request: Request) -> String? {
        request.head.authority.map { "http://" + $0 }
    }

    private func refused(_ why: String) -> Response {
        Responses.page(
            MessagePage.message("Refused", "\(why) Nothing was changed; reload the dashboard's page and use its buttons."), status: .forbidden)
    }
}
