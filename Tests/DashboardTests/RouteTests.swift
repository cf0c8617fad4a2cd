import Foundation
import Hummingbird
import NIOCore
import HummingbirdTesting
import ModImgDashboard
import ModImgQueue
import TestSupport
import Testing

/// Every page and JSON endpoint, in process, against a real queue worked by the real worker.
@Suite(.serialized) struct RouteTests {
    func withDashboard(_ body: @escaping @Sendable (DashboardFixture, any TestClientProtocol) async throws -> Void) async throws {
        try await withSimulator(DashboardFixture.configure) { _, url in
            let fixture = try await DashboardFixture.make(simulatorURL: url)
            try await withSignedInDashboard(try fixture.dashboard()) { client in try await body(fixture, client) }
        }
    }

    func get(_ client: any TestClientProtocol, _ path: String) async throws -> (HTTPResponse.Status, String, String?) {
        try await client.execute(uri: path, method: .get) { response in
            (response.status, String(buffer: response.body), response.headers[.contentType])
        }
    }

    @Test func overviewShowsTotalsModsFailuresAndTheLiveUpdate() async throws {
        try await withDashboard { fixture, client in
            let (status, html, type) = try await get(client, "/")
            #expect(status == .ok)
            #expect(type == "text/html; charset=utf-8")
            #expect(html.contains("<meta name=\"viewport\""))
            #expect(html.contains("<a href=\"/mods/alpha\">alpha</a>"))
            #expect(html.contains("<a href=\"/mods/beta\">beta</a>"))
            // alpha: 4 of 5 jobs done (3 uploads and the reorder; the fourth upload queued).
            #expect(html.contains("4 of 5 done"))
            #expect(html.contains("0 of 1 done"))
            #expect(html.contains("Forbidden: "), "beta's root cause")
            #expect(html.contains("new EventSource(\"/events\")"))
            #expect(html.contains("<noscript><meta http-equiv=\"refresh\""))
            #expect(!html.contains("<script src") && !html.contains("<link"), "no external assets")
        }
    }

    @Test func overviewShowsHeldJobsAPortalPauseAndARefusedKeyAsStatusDoes() async throws {
        try await withDashboard { fixture, client in
            let now = Date().timeIntervalSince1970
            try fixture.execute(
                "UPDATE jobs SET claim_token = 'x', lease_expires_at = ?, claim_host = 'build-box', claim_pid = 4242 WHERE id = ?",
                [now + 600, fixture.queuedUpload])
            try fixture.execute(
                "INSERT OR REPLACE INTO rate_limits (name, theoretical_arrival_time, paused_until, interval) VALUES ('portal', 0, ?, 1)",
                [now + 900])
            try fixture.execute(
                "INSERT INTO worker_signals (name, at, detail) VALUES ('api-key-rejected', ?, 'InvalidApiKey: <b>no</b>')", [now - 5])
            let (_, html, _) = try await get(client, "/")
            let status = try await fixture.cli(["status"])
            #expect(status.stdout.contains("worker build-box pid 4242 holds 1 job (\(fixture.queuedUpload))"))
            #expect(
                html.contains(
                    "Worker <span class=\"mono\">build-box pid 4242</span> holds 1 job (<a href=\"/jobs/\(fixture.queuedUpload)\">\(fixture.queuedUpload)</a>)"))
            #expect(status.stdout.contains("the portal asked for a pause"))
            #expect(html.contains("The portal asked for a pause: no request is sent before "))
            #expect(status.stdout.contains("the portal refused the API key"))
            #expect(html.contains("The portal refused the API key at "))
            #expect(html.contains("(InvalidApiKey: &lt;b&gt;no&lt;/b&gt;)"))
        }
    }

    @Test func modPageShowsTheGalleryInTheOrderTheQueueLeavesItThenHistoryAndJobs() async throws {
        try await withDashboard { fixture, client in
            let (status, html, _) = try await get(client, "/mods/alpha")
            #expect(status == .ok)
            #expect(galleryIDs(in: html) == fixture.alphaGallery)
            // Uploaded images from the portal's thumbnail URL as the history keeps it, the queued one from its file.
            let history = try await fixture.cli(["history", "alpha", "--json"])
            let thumbnails = try (JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]] ?? [])
                .compactMap { $0["thumbnail"] as? String }
            #expect(thumbnails.count == 3)
            for thumbnail in thumbnails {
                #expect(html.contains("<img src=\"\(thumbnail)\""))
                #expect(try await httpGet(thumbnail).status == 200, "the simulator serves what it uploaded")
            }
            #expect(html.contains("<img src=\"/files/\(fixture.queuedUpload)\""))
            #expect(html.contains("shot-4.png"))
            #expect(html.contains("<span class=\"state queued\">queued</span>"))
            #expect(html.contains(String(fixture.alphaIDs[0].prefix(12))))
            #expect(html.contains("reorder <a href=\"/jobs/\(fixture.reorder)\">job \(fixture.reorder)</a> (done)"))
            for job in fixture.alphaUploads + [fixture.reorder, fixture.queuedUpload] {
                #expect(html.contains("<a href=\"/jobs/\(job)\">\(job)</a>"))
            }
        }
    }

    @Test func aFailedUploadIsMarkedWithItsReason() async throws {
        try await withDashboard { fixture, client in
            let (status, html, _) = try await get(client, "/mods/beta")
            #expect(status == .ok)
            #expect(html.contains("<li class=\"failed\""))
            #expect(html.contains("<div class=\"reason\">Forbidden: "))
            #expect(html.contains("<img src=\"/files/\(fixture.betaUpload)\""))
        }
    }

    @Test func aFailedUploadWhoseFileChangedShowsNoBrokenPicture() async throws {
        try await withDashboard { fixture, client in
            try Data("not the queued image".utf8).write(to: URL(fileURLWithPath: fixture.files[4]))
            let (_, html, _) = try await get(client, "/mods/beta")
            #expect(html.contains("the file is gone or changed"))
            #expect(!html.contains("/files/\(fixture.betaUpload)"))
        }
    }

    @Test func jobPageShowsTheJobAndTheEventsLogShows() async throws {
        try await withDashboard { fixture, client in
            let job = fixture.alphaUploads[0]
            let (status, html, _) = try await get(client, "/jobs/\(job)")
            #expect(status == .ok)
            let log = try await fixture.cli(["log", "\(job)", "--json"])
            let events = (try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [String: Any])?["events"] as? [[String: Any]] ?? []
            #expect(events.count >= 3)
            for event in events {
                // A person reads local time (today's without the date); the ISO moment is the <time>'s datetime.
                let at = try #require(event["at"] as? String)
                let shown = try #require(html.range(of: "<time datetime=\"\(at)\">"), "\(at)")
                #expect(html[shown.upperBound...].prefix(15).wholeMatch(of: /\d\d:\d\d:\d\d<\/time>/) != nil, "\(at)")
                #expect(html.contains(HTML.escape(try #require(event["reason"] as? String))))
            }
            #expect(html.contains("<span class=\"state done\">done</span>"))
        }
    }

    @Test func aFailedJobsPageShowsTheNextStepLogAndStatusGive() async throws {
        try await withDashboard { fixture, client in
            let (status, html, _) = try await get(client, "/jobs/\(fixture.betaUpload)")
            #expect(status == .ok)
            let log = try await fixture.cli(["log", "\(fixture.betaUpload)", "--json"])
            let json = try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [String: Any]
            let next = try #require(json?["next_step"] as? String)
            #expect(next.contains("modimg-queue retry --failed --mod beta"))
            #expect(html.contains("<th>next step</th><td>\(HTML.escape(next))</td>"))
        }
    }

    @Test func aFailedJobThatARetryCannotFixOffersNoRetryButItsNextStep() async throws {
        try await withDashboard { fixture, client in
            let (_, forbidden, _) = try await get(client, "/jobs/\(fixture.betaUpload)")
            #expect(forbidden.contains("Retry this job"), "Forbidden: a retry works once a key that may change the mod is given")
            try fixture.execute(
                "UPDATE jobs SET last_error_code = 'FileChanged', last_error_message = 'the file changed' WHERE id = ?", [fixture.betaUpload])
            let (_, changed, _) = try await get(client, "/jobs/\(fixture.betaUpload)")
            #expect(!changed.contains("Retry this job"), "a changed file fails the same way again")
            #expect(changed.contains("<th>next step</th><td>the file changed after it was queued"))
        }
    }

    @Test func unknownPagesAre404() async throws {
        try await withDashboard { _, client in
            for path in ["/jobs/999", "/jobs/abc", "/jobs/-1", "/mods/nobody", "/nothing", "/api/jobs/999", "/files"] {
                let (status, _, _) = try await get(client, path)
                #expect(status == .notFound, "\(path)")
            }
        }
    }

    @Test func jsonIsTheCLIsJSONByteForByte() async throws {
        try await withDashboard { fixture, client in
            let pairs: [(String, [String])] = [
                ("/api/status", ["status", "--json"]),
                ("/api/mods/alpha?oldest_first=1", ["history", "alpha", "--json"]),
                ("/api/jobs", ["jobs", "--json"]),
                ("/api/jobs?state=failed", ["jobs", "--json", "--state", "failed"]),
                ("/api/jobs?state=done&mod=alpha&kind=upload&limit=2", ["jobs", "--json", "--state", "done", "--mod", "alpha", "--kind", "upload", "--limit", "2"]),
                ("/api/jobs/\(fixture.betaUpload)", ["log", "\(fixture.betaUpload)", "--json"]),
            ]
            for (path, arguments) in pairs {
                let (status, body, type) = try await get(client, path)
                let cli = try await fixture.cli(arguments)
                #expect(status == .ok, "\(path)")
                #expect(type == "application/json; charset=utf-8")
                #expect(body + "\n" == cli.stdout, "\(path) against \(arguments)")
            }
            let (bad, _, _) = try await get(client, "/api/jobs?state=sleeping")
            #expect(bad == .badRequest)
            // The history newest first unless asked otherwise.
            let (_, newest, _) = try await get(client, "/api/mods/alpha")
            let history = try await fixture.cli(["history", "alpha", "--json"])
            let ids = { (text: String) in
                (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
            }
            #expect(ids(newest) == ids(history.stdout).reversed() && ids(newest).count == 3)
        }
    }

    @Test func textFromTheDatabaseOrThePortalIsEscaped() async throws {
        try await withDashboard { fixture, client in
            let hostile = "<script>alert(1)</script>"
            try fixture.execute(
                """
                INSERT INTO jobs (kind, mod, state, file_path, file_sha1, file_size, created_at, updated_at, finished_at,
                  last_error_code, last_error_message)
                VALUES ('upload', ?, 'failed', ?, ?, 1, 0, 0, 0, 'InvalidRequest', ?)
                """, [hostile, "/tmp/\(hostile).png", String(repeating: "a", count: 40), "the portal said \(hostile)"])
            try fixture.execute("INSERT INTO job_counts (mod, state, n) VALUES (?, 'failed', 1)", [hostile])
            try fixture.execute(
                "UPDATE jobs SET last_error_message = ? WHERE id = ?", ["refused \(hostile)", fixture.betaUpload])
            let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
            let (_, overview, _) = try await get(client, "/")
            #expect(overview.contains(escaped))
            #expect(overview.contains("/mods/%3Cscript%3Ealert%281%29%3C%2Fscript%3E"))
            let (status, modPage, _) = try await get(client, "/mods/%3Cscript%3Ealert%281%29%3C%2Fscript%3E")
            #expect(status == .ok)
            #expect(modPage.contains("the portal said \(escaped)"))
            let (_, beta, _) = try await get(client, "/mods/beta")
            #expect(beta.contains("refused \(escaped)"))
            let (_, jobPage, _) = try await get(client, "/jobs/\(fixture.betaUpload)")
            #expect(jobPage.contains("refused \(escaped)"))
            for page in [overview, modPage, beta, jobPage] { #expect(!page.contains(hostile)) }
        }
    }
}
