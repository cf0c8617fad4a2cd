import Foundation
import Hummingbird
import HummingbirdTesting
import ModImgDashboard
import NIOCore

/// A test client that has done what a browser does with the URL `serve` prints: exchanged the
/// launch's token for the session cookie, which it then sends with every request. Its `csrf` is
/// the token the dashboard's forms carry.
struct SignedInClient: TestClientProtocol {
    let client: any TestClientProtocol
    let cookie: String
    let csrf: String
    var port: Int? { client.port }

    /// Exchanges `secrets.token` at `/?token=` and keeps the cookie that answer sets.
    static func signIn(_ client: any TestClientProtocol, _ secrets: LaunchSecrets) async throws -> SignedInClient {
        let response = try await client.execute(uri: "/?token=\(secrets.token)", method: .get)
        guard response.status == .seeOther, let setCookie = response.headers[.setCookie],
            let pair = setCookie.split(separator: ";").first
        else { throw FixtureError.unexpected("the token exchange answered \(response.status)") }
        return SignedInClient(client: client, cookie: String(pair), csrf: secrets.csrfToken)
    }

    func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        var headers = headers
        if headers[.cookie] == nil { headers[.cookie] = cookie }
        return try await client.executeRequest(uri: uri, method: method, headers: headers, body: body)
    }

    /// A form post as a browser sends it from one of the dashboard's pages: same origin, with
    /// the session's CSRF token unless `fields` names its own `csrf`.
    func post(_ uri: String, _ fields: [(String, String)] = [], headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var all = fields
        if !fields.contains(where: { $0.0 == "csrf" }) { all.insert(("csrf", csrf), at: 0) }
        let body = all.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        headers.append(contentsOf: extra)
        return try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }
}

/// The dashboard of `fixture` in process, and a client signed in to it.
func withSignedInDashboard(
    _ dashboard: Dashboard, _ body: @escaping @Sendable (SignedInClient) async throws -> Void
) async throws {
    let app = Application(router: dashboard.router())
    try await app.test(.router) { client in try await body(try await SignedInClient.signIn(client, dashboard.secrets)) }
}
