import Foundation
import Hummingbird
import HummingbirdTesting
import ModImgDashboard
import ModImgQueue
import TestSupport
import Testing

/// Issue 19, points 3, 4 and 6, in process against the fixture's real queue: finding mods and
/// jobs, the run at a glance, and the fixes from the tour.
@Suite(.serialized) struct OverviewRunTests {
    func withDashboard(_ body: @escaping @Sendable (DashboardFixture, any TestClientProtocol) async throws -> Void) async throws {
        try await withSimulator(DashboardFixture.configure) { _, url in
            let fixture = try await DashboardFixture.make(simulatorURL: url)
            try await withSignedInDashboard(try fixture.dashboard()) { client in try await body(fixture, client) }
        }
    }

    func get(_ client: any TestClientProtocol, _ path: String) async throws -> (HTTPResponse.Status, String) {
        try await client.execute(uri: path, method: .get) { response in (response.status, String(buffer: response.body)) }
    }

    /// The overview's table row of `mod`.
    func row(_ html: String, mod: String) throws -> Substring {
        let start = try #require(html.range(of: "<a href=\"/mods/\(mod)\">\(mod)</a>"), "no row of \(mod)")
        let end = try #require(html[start.upperBound...].range(of: "</tr>"))
        return html[start.lowerBound..<end.upperBound]
    }

    /// The job ids a jobs page links to, in order.
    func jobLinks(_ html: String) -> [Int64] {
        html.matches(of: /<a href="\/jobs\/(\d+)">/).compactMap { Int64($0.output.1) }
    }

    @Test func theOverviewListsFailedModsFirst() async throws {
        try await withDashboard { _, client in
            let (_, html) = try await get(client, "/")
            let beta = try #require(html.range(of: "<a href=\"/mods/beta\">beta</a>"))
            let alpha = try #require(html.range(of: "<a href=\"/mods/alpha\">alpha</a>"))
            #expect(beta.lowerBound < alpha.lowerBound, "beta has a failed job, alpha none")
        }
    }

    @Test func searchingTheOverviewKeepsTheModsWhoseNameHoldsIt() async throws {
        try await withDashboard { _, client in
            let (status, html) = try await get(client, "/?q=LPH")
            #expect(status == .ok)
            #expect(html.contains("<a href=\"/mods/alpha\">alpha</a>"))
            #expect(!html.contains("<a href=\"/mods/beta\">beta</a>"))
            #expect(html.contains("name=\"q\" value=\"LPH\""), "the form shows the search")
            let (_, none) = try await get(client, "/?q=%3Cb%3Ezeta")
            #expect(none.contains("No mod's name contains &lt;b&gt;zeta."))
            #expect(!none.contains("<a href=\"/mods/alpha\">alpha</a>"))
        }
    }

    @Test func aTransientErrorOfAModWithNothingFailedIsNotShownAsARootCause() async throws {
        try await withDashboard { fixture, client in
            // alpha's queued upload had an attempt fail with a 503 and waits to retry, as the worker leaves it.
            try fixture.execute(
                "UPDATE jobs SET attempts = 1, next_attempt_at = ?, last_error_code = 'HTTP503', last_error_message = 'Service Unavailable', updated_at = ? WHERE id = ?",
                [Date().timeIntervalSince1970 + 600, Date().timeIntervalSince1970, fixture.queuedUpload])
            let (_, html) = try await get(client, "/")
            let alpha = try row(html, mod: "alpha")
            #expect(alpha.contains("retrying after: HTTP503"))
            #expect(!alpha.contains("bad"), "nothing of alpha's is red: \(alpha)")
            let beta = try row(html, mod: "beta")
            #expect(beta.contains("<td class=\"cause bad\" data-label=\"root cause\">Forbidden: "), "a failed mod's root cause stays red")
        }
    }

    @Test func progressLeavesCancelledJobsOut() async throws {
        try await withDashboard { fixture, client in
            let cancel = try await fixture.cli(["cancel", "\(fixture.queuedUpload)"])
            #expect(cancel.status == 0, "\(cancel.stderr)")
            let (_, html) = try await get(client, "/")
            let alpha = try row(html, mod: "alpha")
            #expect(alpha.contains("4 of 4 done"), "alpha: 4 done, 1 cancelled: \(alpha)")
            #expect(alpha.contains("width:100%"))
            // The run: alpha's 4 done and beta's failure, the cancelled upload left out.
            #expect(html.contains("<b>4 of 5 done</b>"))
            #expect(html.contains("1 cancelled, not counted"))
            #expect(html.contains("nothing left"))
        }
    }

    @Test func theJobsPagesFilterByStateKindAndMod() async throws {
        try await withDashboard { fixture, client in
            let (_, failed) = try await get(client, "/jobs?state=failed")
            #expect(jobLinks(failed) == [fixture.betaUpload])
            let (_, reorders) = try await get(client, "/jobs?state=&kind=reorder&mod=")
            #expect(jobLinks(reorders) == [fixture.reorder], "empty fields of the form filter nothing")
            let (_, uploads) = try await get(client, "/jobs?mod=alpha&kind=upload&state=done")
            #expect(jobLinks(uploads) == fixture.alphaUploads.reversed())
            #expect(uploads.contains("<option selected>done</option>") && uploads.contains("<option selected>upload</option>"))
            // Paging keeps the filters.
            let (_, first) = try await get(client, "/jobs?mod=alpha&kind=upload&limit=2")
            #expect(jobLinks(first) == [fixture.queuedUpload, fixture.alphaUploads[2]])
            let link = try #require(first.firstMatch(of: /rel="next" href="([^"]+)"/)?.output.1)
            let next = link.replacingOccurrences(of: "&amp;", with: "&")
            #expect(next == "/jobs?kind=upload&mod=alpha&limit=2&before=\(fixture.alphaUploads[2])")
            let (_, second) = try await get(client, next)
            #expect(jobLinks(second) == [fixture.alphaUploads[1], fixture.alphaUploads[0]])
            // A mod's own jobs list filters by state and kind.
            let (_, queued) = try await get(client, "/mods/alpha/jobs?state=queued")
            #expect(jobLinks(queued) == [fixture.queuedUpload])
            let (status, refused) = try await get(client, "/jobs?state=stuck")
            #expect(status == .badRequest)
            #expect(refused.contains("state must be one of queued, added, done, failed, cancelled, not &quot;stuck&quot;."))
        }
    }

    @Test func theOverviewChartsTheJobsFinishedPerMinuteAndTheRunsProgress() async throws {
        try await withDashboard { _, client in
            let (_, html) = try await get(client, "/")
            let svg = try #require(html.firstMatch(of: /<svg[^>]*>.*?<\/svg>/.dotMatchesNewlines()).map { String($0.output) })
            func total(_ kind: String) -> Int {
                svg.matches(of: try! Regex("<rect class=\"\(kind)\" data-count=\"(\\d+)\"")).compactMap {
                    ($0.output[1].substring).flatMap { Int($0) }
                }.reduce(0, +)
            }
            // The fixture's run: alpha's three uploads and its reorder done, beta's upload failed.
            #expect(total("done") == 4)
            #expect(total("failed") == 1)
            // The current run: those five finished, alpha's fourth upload still open.
            #expect(html.contains("<b>4 of 6 done</b>"))
            #expect(html.contains("<span class=\"bad\">1 failed</span>"))
            #expect(html.contains("ETA "))
        }
    }

    @Test func theOverviewChartsTheRequestsSentPerMinuteAsThePortalCountedThem() async throws {
        try await withSimulator(DashboardFixture.configure) { sim, url in
            let fixture = try await DashboardFixture.make(simulatorURL: url)
            let sent = sim.state().requests.values.reduce(0, +)
            try await withSignedInDashboard(try fixture.dashboard()) { client in
                let (_, html) = try await get(client, "/")
                let svg = try #require(html.firstMatch(of: /<figure class="chart requests">.*?<\/svg>/.dotMatchesNewlines()).map { String($0.output) })
                let counted = svg.matches(of: /<rect class="requests" data-count="(\d+)"/).compactMap { Int($0.output.1) }.reduce(0, +)
                #expect(sent > 0)
                #expect(counted == sent, "every request the worker sent is in the chart, once")
            }
        }
    }

    @Test func anUploadedImageFallsBackToItsLocalFileWhenTheThumbnailIsGone() async throws {
        try await withDashboard { fixture, client in
            let (_, html) = try await get(client, "/mods/alpha")
            for job in fixture.alphaUploads {
                #expect(html.contains("onerror=\"this.onerror=null;this.src='/files/\(job)'\""))
                #expect(html.contains("<a class=\"local\" href=\"/files/\(job)\">local file</a>"))
                let (status, _) = try await get(client, "/files/\(job)")
                #expect(status == .ok, "the local file is served")
            }
        }
    }
}
