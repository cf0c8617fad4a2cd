import Foundation
import Hummingbird
import HummingbirdTesting
import ModImgDashboard
import ModImgQueue
import NIOCore
import TestSupport
import Testing

/// Only the browser that opened the URL `serve` printed gets in; a change comes only from the
/// dashboard's own forms. In process, against the real fixture queue.
@Suite(.serialized) struct SessionTests {
    func withFixture(_ body: @escaping @Sendable (DashboardFixture) async throws -> Void) async throws {
        try await withSimulator(DashboardFixture.configure) { _, url in try await body(try await DashboardFixture.make(simulatorURL: url)) }
    }

    @Test func withoutTheCookieEveryPageAPIFileAndStreamIs401() async throws {
        try await withFixture { fixture in
            let dashboard = try fixture.dashboard()
            let app = Application(router: dashboard.router())
            try await app.test(.router) { client in
                let paths = ["/", "/mods/alpha", "/jobs/\(fixture.betaUpload)", "/api/status", "/api/jobs", "/files/\(fixture.queuedUpload)", "/events"]
                for path in paths {
                    let (status, body) = try await client.execute(uri: path, method: .get) { ($0.status, String(buffer: $0.body)) }
                    #expect(status == .unauthorized, "\(path)")
                    // The API's JSON says it in plain text; a page with the command as code.
                    let sentence = path.hasPrefix("/api/") ? "Open the URL `modimg-queue serve` printed" : "Open the URL <code>modimg-queue serve</code> printed"
                    #expect(body.contains(sentence), "\(path): \(body)")
                }
                let foreign = try await client.execute(uri: "/", method: .get, headers: [.cookie: "modimg_session=" + String(repeating: "0", count: 64)])
                #expect(foreign.status == .unauthorized)
                let wrongToken = try await client.execute(uri: "/?token=" + String(repeating: "ab", count: 32), method: .get)
                #expect(wrongToken.status == .unauthorized)
                #expect(wrongToken.headers[.setCookie] == nil)
            }
        }
    }

    @Test func theTokenIsExchangedForAStrictHttpOnlyCookieAndARedirectToThePathWithoutIt() async throws {
        try await withFixture { fixture in
            let dashboard = try fixture.dashboard()
            let app = Application(router: dashboard.router())
            try await app.test(.router) { client in
                let answer = try await client.execute(uri: "/mods/alpha?token=\(dashboard.secrets.token)&limit=5", method: .get)
                #expect(answer.status == .seeOther)
                #expect(answer.headers[.location] == "/mods/alpha?limit=5")
                let cookie = try #require(answer.headers[.setCookie])
                let attributes = Set(cookie.split(separator: ";").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) })
                #expect(attributes == ["Path=/", "HttpOnly", "SameSite=Strict"], "\(cookie)")
                let pair = String(cookie.split(separator: ";")[0])
                #expect(pair.hasPrefix("modimg_session="))
                #expect(!pair.contains(dashboard.secrets.token), "the cookie is not the token")
                let page = try await client.execute(uri: "/mods/alpha", method: .get, headers: [.cookie: pair])
                #expect(page.status == .ok)
                #expect(page.headers[.accessControlAllowOrigin] == nil, "no CORS")
            }
        }
    }

    @Test func aPostWithoutTheCSRFTokenOrFromAnotherOriginOrSiteIs403AndChangesNothing() async throws {
        try await withFixture { fixture in
            let queue = try QueueDatabase.open(path: fixture.db)
            let events = try await QueueQueries(database: queue).events(jobID: fixture.betaUpload).count
            try await withSignedInDashboard(try fixture.dashboard()) { client in
                let path = "/jobs/\(fixture.betaUpload)/retry"
                let refused: [(String, [(String, String)], HTTPFields)] = [
                    ("no token", [("csrf", "")], [:]),
                    ("a wrong token", [("csrf", String(repeating: "0", count: 64))], [:]),
                    ("a foreign Origin", [], [.origin: "http://attacker.example"]),
                    ("another local port", [], [.origin: "http://127.0.0.1:1"]),
                    ("Sec-Fetch-Site cross-site", [], [.init("Sec-Fetch-Site")!: "cross-site"]),
                    ("Sec-Fetch-Site same-site", [], [.init("Sec-Fetch-Site")!: "same-site"]),
                ]
                for (what, fields, headers) in refused {
                    let answer = try await client.post(path, fields, headers: headers)
                    #expect(answer.status == .forbidden, "\(what)")
                    #expect(String(buffer: answer.body).contains("Nothing was changed"), "\(what)")
                }
                // Without the cookie, even with the CSRF token: 401.
                let signedOut = try await client.client.execute(
                    uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "csrf=\(client.csrf)"))
                #expect(signedOut.status == .unauthorized)
            }
            let job = try await JobListing(database: queue).job(id: fixture.betaUpload)
            #expect(job.state == .failed)
            #expect(try await QueueQueries(database: queue).events(jobID: fixture.betaUpload).count == events)
        }
    }

    @Test func readOnlyStillNeedsTheTokenOffersNoFormsAndRefusesPosts() async throws {
        try await withFixture { fixture in
            let dashboard = try Dashboard.open(path: fixture.db, readOnly: true)
            try await withSignedInDashboard(dashboard) { client in
                for path in ["/", "/mods/alpha", "/mods/beta", "/jobs/\(fixture.betaUpload)", "/jobs/\(fixture.queuedUpload)"] {
                    let html = try await client.execute(uri: path, method: .get) { String(buffer: $0.body) }
                    #expect(html.contains("<h1>"), "\(path)")
                    // Search and filter forms (GET) stay; no form changes anything.
                    #expect(!html.lowercased().contains("method=\"post\""), "\(path)")
                }
                for path in ["/jobs/\(fixture.betaUpload)/retry", "/jobs/\(fixture.queuedUpload)/cancel", "/retry-failed"] {
                    #expect(try await client.post(path, [("confirm", "yes"), ("job", "\(fixture.queuedUpload)")]).status == .methodNotAllowed, "\(path)")
                }
                let signedOut = try await client.client.execute(uri: "/", method: .get)
                #expect(signedOut.status == .unauthorized)
            }
            let listing = JobListing(database: try QueueDatabase.open(path: fixture.db))
            #expect(try await listing.job(id: fixture.betaUpload).state == .failed)
            #expect(try await listing.job(id: fixture.queuedUpload).state == .queued)
        }
    }
}
