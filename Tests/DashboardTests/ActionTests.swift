import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import ModImgDashboard
import ModImgQueue
import NIOCore
import TestSupport
import Testing

/// The queue actions of the pages: plain forms, through `QueueMaintenance` with its refusals,
/// the event log saying the dashboard asked.
@Suite(.serialized) struct ActionTests {
    func withDashboard(_ body: @escaping @Sendable (DashboardFixture, SignedInClient) async throws -> Void) async throws {
        try await withSimulator(DashboardFixture.configure) { _, url in
            let fixture = try await DashboardFixture.make(simulatorURL: url)
            try await withSignedInDashboard(try fixture.dashboard()) { client in try await body(fixture, client) }
        }
    }

    func jobState(_ fixture: DashboardFixture, _ id: Int64) async throws -> (JobState, String?) {
        let queue = try QueueDatabase.open(path: fixture.db)
        let job = try await JobListing(database: queue).job(id: id)
        return (job.state, try await QueueQueries(database: queue).events(jobID: id).last?.reason)
    }

    /// A failed job retried from its page, posted by a real browser's rules to a real `serve`
    /// (same `Origin`, `Sec-Fetch-Site: same-origin`, the page's own CSRF field): queued again,
    /// the page it returns to says so, and the log says the dashboard asked.
    @Test func retryingAFailedJobFromItsPageQueuesItAndTheLogSaysTheDashboard() async throws {
        try await withSimulator(DashboardFixture.configure) { _, url in
            let fixture = try await DashboardFixture.make(simulatorURL: url)
            let serve = try ServeProcess(db: fixture.db)
            defer { serve.stop() }
            let cookie = try await serve.signIn()
            let job = fixture.betaUpload
            let page = try await httpGet(serve.url + "jobs/\(job)", cookie: cookie)
            let action = "/jobs/\(job)/retry"
            #expect(page.body.contains("<form method=\"post\" action=\"\(action)\">"), "\(page.body)")
            let csrf = try #require(page.body.components(separatedBy: "name=\"csrf\" value=\"").dropFirst().first?.prefix { $0 != "\"" })
            let origin = String(serve.url.dropLast())
            var request = HTTPClientRequest(url: origin + action)
            request.method = .POST
            request.headers.add(name: "Cookie", value: cookie)
            request.headers.add(name: "Origin", value: origin)
            request.headers.add(name: "Sec-Fetch-Site", value: "same-origin")
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: "csrf=\(csrf)"))
            let answer = try await HTTPClient.withoutRedirects.execute(request, timeout: .seconds(30))
            _ = try await answer.body.collect(upTo: 1 << 20)
            #expect(answer.status.code == 303)
            let location = try #require(answer.headers.first(name: "Location"))
            #expect(location.hasPrefix("/jobs/\(job)?result="))
            let after = try await httpGet(origin + location, cookie: cookie)
            #expect(after.body.contains("queued again: job \(job)."), "\(after.body)")
            let (state, reason) = try await jobState(fixture, job)
            #expect(state == .queued)
            #expect(reason == "retry requested from the dashboard")
            let log = try await fixture.cli(["log", "\(job)"])
            #expect(log.stdout.contains("retry requested from the dashboard"))
        }
    }

    @Test func cancellingAQueuedJobFirstListsItThenCancelsItOnConfirming() async throws {
        try await withDashboard { fixture, client in
            let job = fixture.queuedUpload
            let page = try await client.execute(uri: "/jobs/\(job)", method: .get) { String(buffer: $0.body) }
            #expect(page.contains("action=\"/jobs/\(job)/cancel\""))
            #expect(page.contains("name=\"csrf\" value=\"\(client.csrf)\""))
            let confirm = try await client.post("/jobs/\(job)/cancel")
            let html = String(buffer: confirm.body)
            #expect(confirm.status == .ok)
            #expect(html.contains("<tr><td><a href=\"/jobs/\(job)\">\(job)</a></td><td>alpha</td><td>upload</td>"), "\(html)")
            #expect(html.contains("<input type=\"hidden\" name=\"job\" value=\"\(job)\"><input type=\"hidden\" name=\"confirm\" value=\"yes\">"))
            #expect(try await jobState(fixture, job).0 == .queued, "asking changes nothing")
            let done = try await client.post("/jobs/\(job)/cancel", [("job", "\(job)"), ("confirm", "yes")])
            #expect(done.status == .seeOther)
            let location = try #require(done.headers[.location])
            let result = try await client.execute(uri: location, method: .get) { String(buffer: $0.body) }
            #expect(result.contains("cancelled: job \(job)."))
            let (state, reason) = try await jobState(fixture, job)
            #expect(state == .cancelled)
            #expect(reason == "cancelled by request from the dashboard")
        }
    }

    @Test func aJobAWorkerHoldsIsNotCancelledAndThePageSaysWhy() async throws {
        try await withDashboard { fixture, client in
            let job = fixture.queuedUpload
            try fixture.execute(
                "UPDATE jobs SET claim_token = 'x', lease_expires_at = ?, claim_host = 'build-box', claim_pid = 4242 WHERE id = ?",
                [Date().timeIntervalSince1970 + 600, job])
            let done = try await client.post("/mods/alpha/cancel", [("job", "\(job)"), ("confirm", "yes")])
            #expect(done.status == .seeOther)
            let location = try #require(done.headers[.location])
            #expect(location.hasPrefix("/mods/alpha?result="))
            let result = try await client.execute(uri: location, method: .get) { String(buffer: $0.body) }
            #expect(result.contains("nothing cancelled; not cancelled: job \(job): a worker (build-box pid 4242) holds it until "), "\(result)")
            let (state, reason) = try await jobState(fixture, job)
            #expect(state == .queued)
            #expect(reason?.contains("from the dashboard") != true, "\(reason ?? "")")
        }
    }

    @Test func aModsPageRetriesItsFailedJobsAndListsItsQueuedOnesBeforeCancelling() async throws {
        try await withDashboard { fixture, client in
            let beta = try await client.execute(uri: "/mods/beta", method: .get) { String(buffer: $0.body) }
            #expect(beta.contains("action=\"/mods/beta/retry\""))
            #expect(!beta.contains("action=\"/mods/beta/cancel\""), "beta has no open job")
            let alpha = try await client.execute(uri: "/mods/alpha", method: .get) { String(buffer: $0.body) }
            #expect(alpha.contains("action=\"/mods/alpha/cancel\""))
            let confirm = String(buffer: try await client.post("/mods/alpha/cancel").body)
            #expect(confirm.contains("Cancel 1 job?"))
            #expect(confirm.contains("name=\"job\" value=\"\(fixture.queuedUpload)\""))
            let overview = try await client.execute(uri: "/", method: .get) { String(buffer: $0.body) }
            #expect(overview.contains("action=\"/retry-failed\""))
            let retried = try await client.post("/retry-failed")
            #expect(retried.status == .seeOther)
            let (state, reason) = try await jobState(fixture, fixture.betaUpload)
            #expect(state == .queued)
            #expect(reason == "retry requested from the dashboard")
            #expect(try await jobState(fixture, fixture.queuedUpload).0 == .queued, "retry leaves open jobs alone")
        }
    }
}
