import Foundation
import TestSupport
import Testing

/// Signing in and the queue actions, clicked in a real browser (Playwright for Python driving
/// Debian's chromium) against a real `serve` on a queue worked against `modportal-sim`; each job's
/// state read back through the CLI.
// Skipped, and reported as skipped, where chromium or Playwright for Python is missing (`make deps` installs them).
@Suite(.serialized, .enabled(if: Playwright.available, "needs Debian's chromium and Playwright for Python: make deps installs them"))
struct BrowserActionTests {
    /// A fixture queue, `serve` on it, and the body; `serve` stopped after.
    func withServe(_ body: @escaping @Sendable (DashboardFixture, ServeProcess) async throws -> Void) async throws {
        try await withSimulator(DashboardFixture.configure) { _, url in
            let fixture = try await DashboardFixture.make(simulatorURL: url)
            let serve = try ServeProcess(db: fixture.db)
            defer { serve.stop() }
            try await body(fixture, serve)
        }
    }

    /// `log N`'s first line ("job N: upload for beta, failed") and the whole log.
    func log(_ fixture: DashboardFixture, _ job: Int64) async throws -> (header: String, text: String) {
        let result = try await fixture.cli(["log", "\(job)"])
        #expect(result.status == 0, "log: \(result.stderr)")
        return (result.stdout.split(separator: "\n").first.map(String.init) ?? "", result.stdout)
    }

    /// The lines of `output` that start with `key` and a space, without them.
    func values(_ key: String, in output: String) -> [String] {
        output.split(separator: "\n").filter { $0.hasPrefix(key + " ") }.map { String($0.dropFirst(key.count + 1)) }
    }

    @Test func openingThePrintedURLSignsTheBrowserInAndTakesTheTokenOutOfTheAddressBar() async throws {
        try await withServe { _, serve in
            #expect(serve.printedURL.contains("?token="))
            let output = try await Playwright.run(
                """
                print("url", page.url)
                print("heading", page.inner_text("h1"))
                for cookie in page.context.cookies():
                    print("cookie", cookie["httpOnly"], cookie["sameSite"], cookie["path"])
                print("script-sees", repr(page.evaluate("document.cookie")))
                page.goto(page.url + "jobs", wait_until="load")
                print("next", page.url, page.inner_text("h1"))
                """, url: serve.printedURL, width: 1280)
            #expect(values("url", in: output) == [serve.url], "the token left the address bar: \(output)")
            #expect(values("cookie", in: output) == ["True Strict /"], "one HttpOnly, SameSite=Strict cookie: \(output)")
            #expect(values("script-sees", in: output) == ["''"], "HttpOnly: scripts cannot read it")
            #expect(values("heading", in: output).first?.contains("Sign in") == false, "\(output)")
            let next = try #require(values("next", in: output).first, "\(output)")
            #expect(next.hasPrefix(serve.url + "jobs "), "the cookie signs in the next page, without a token: \(output)")
            #expect(!next.contains("Sign in"), "\(output)")
        }
    }

    @Test func aFreshBrowserOpeningTheBareURLGets401AndTheSentenceSayingWhatToOpen() async throws {
        try await withServe { fixture, serve in
            let output = try await Playwright.run(
                """
                for path in ["", "jobs/\(fixture.betaUpload)", "mods/alpha"]:
                    response = page.goto(\(pythonLiteral(serve.url)) + path, wait_until="load")
                    print("page", path or "/", response.status, page.inner_text("h1"), "|", " ".join(page.inner_text("main").split()[2:]))
                print("cookies", len(page.context.cookies()))
                """, url: serve.url, width: 1280)
            let pages = values("page", in: output)
            #expect(pages.count == 3, "\(output)")
            for line in pages {
                #expect(line.contains(" 401 Sign in | This browser has no session with this dashboard. Open the URL modimg-queue serve printed when it started (with its ?token=…); it is new at every start."), "\(line)")
                #expect(!line.contains(fixture.alphaIDs[0]), "nothing of the queue shows")
            }
            #expect(values("cookies", in: output) == ["0"])
        }
    }

    @Test func retryingAFailedJobByClickingItsButtonQueuesItAndTheLogSaysFromTheDashboard() async throws {
        try await withServe { fixture, serve in
            let job = fixture.betaUpload
            #expect(try await log(fixture, job).header.contains("for beta, failed"))
            let output = try await Playwright.run(
                """
                print("before", page.inner_text("span.state"))
                with page.expect_navigation():
                    page.get_by_role("button", name="Retry this job").click()
                print("url", page.url.split("?")[0])
                print("after", page.inner_text("span.state"))
                print("notice", page.inner_text("p.notice"))
                """, url: serve.withToken("jobs/\(job)"), width: 1280)
            #expect(values("before", in: output) == ["failed"], "\(output)")
            #expect(values("url", in: output) == [serve.url + "jobs/\(job)"], "back on the job's page: \(output)")
            #expect(values("after", in: output) == ["queued"], "\(output)")
            #expect(values("notice", in: output) == ["queued again: job \(job)."], "\(output)")
            let (header, text) = try await log(fixture, job)
            #expect(header.contains("for beta, queued"), "\(text)")
            #expect(text.contains("failed -> queued  retry requested from the dashboard"), "\(text)")
        }
    }

    @Test func cancellingAQueuedJobFromItsPageListsItFirstThenCancelsItOnConfirming() async throws {
        try await withServe { fixture, serve in
            let job = fixture.queuedUpload
            // The state as `log` prints it while the confirmation page is up: asking changes nothing.
            let logCommand = [Binaries.modimgQueue.path, "log", "\(job)", "--db", fixture.db].map(pythonLiteral).joined(separator: ", ")
            let output = try await Playwright.run(
                """
                import subprocess
                with page.expect_navigation():
                    page.get_by_role("button", name="Cancel this job…").click()
                print("asks", page.inner_text("h1"))
                for row in page.query_selector_all("main table tbody tr"):
                    print("lists", " ".join(cell.inner_text() for cell in row.query_selector_all("td")))
                print("meanwhile", subprocess.run([\(logCommand)], capture_output=True, text=True).stdout.split("\\n")[0])
                with page.expect_navigation():
                    page.get_by_role("button", name="Cancel 1 job").click()
                print("url", page.url.split("?")[0])
                print("after", page.inner_text("span.state"))
                print("notice", page.inner_text("p.notice"))
                """, url: serve.withToken("jobs/\(job)"), width: 1280)
            #expect(values("asks", in: output) == ["Cancel 1 job?"], "\(output)")
            #expect(values("lists", in: output) == ["\(job) alpha upload queued"], "the confirmation lists exactly that job: \(output)")
            #expect(values("meanwhile", in: output).first?.hasSuffix("for alpha, queued, file \(fixture.files[3])") == true, "\(output)")
            #expect(values("url", in: output) == [serve.url + "jobs/\(job)"], "\(output)")
            #expect(values("after", in: output) == ["cancelled"], "\(output)")
            #expect(values("notice", in: output) == ["cancelled: job \(job)."], "\(output)")
            let (header, text) = try await log(fixture, job)
            #expect(header.contains("for alpha, cancelled"), "\(text)")
            #expect(text.contains("queued -> cancelled  cancelled by request from the dashboard"), "\(text)")
        }
    }

    /// A page of another local port (same site, another origin), in the signed-in browser,
    /// auto-submits a form to the retry URL: without a token, with a guessed one, and even with
    /// this session's real one (as if it leaked: `Origin` and `Sec-Fetch-Site` refuse it alone).
    @Test func aPageServedByAnotherLocalPortCannotRetryAJob() async throws {
        try await withServe { fixture, serve in
            let job = fixture.betaUpload
            let before = try await log(fixture, job)
            let action = serve.url + "jobs/\(job)/retry"
            let output = try await Playwright.run(
                """
                import re, threading
                from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
                action = \(pythonLiteral(action))
                real = re.search(r'name="csrf" value="([^"]+)"', page.content()).group(1)
                tokens = {"/none": None, "/guessed": "0" * 64, "/leaked": real}
                class Foreign(BaseHTTPRequestHandler):
                    def do_GET(self):
                        token = tokens[self.path]
                        field = "" if token is None else '<input type="hidden" name="csrf" value="%s">' % token
                        body = ('<!doctype html><html><body onload="document.forms[0].submit()">'
                                '<form method="post" action="%s">%s</form></body></html>' % (action, field)).encode()
                        self.send_response(200)
                        self.send_header("Content-Type", "text/html")
                        self.send_header("Content-Length", str(len(body)))
                        self.end_headers()
                        self.wfile.write(body)
                    def log_message(self, *args):
                        pass
                foreign = ThreadingHTTPServer(("127.0.0.1", 0), Foreign)
                threading.Thread(target=foreign.serve_forever, daemon=True).start()
                for name in tokens:
                    with page.expect_response(action) as answer:
                        page.goto("http://127.0.0.1:%d%s" % (foreign.server_address[1], name))
                    page.wait_for_load_state("load")
                    print("foreign", name, answer.value.status, page.inner_text("h1"), "|", page.inner_text("main p"))
                foreign.shutdown()
                """, url: serve.withToken("jobs/\(job)"), width: 1280)
            let answers = values("foreign", in: output)
            #expect(answers.count == 3, "\(output)")
            for answer in answers {
                #expect(answer.contains(" 403 Refused | "), "\(answer)")
                #expect(answer.contains("Nothing was changed"), "\(answer)")
            }
            #expect(answers.first { $0.hasPrefix("/leaked ") }?.contains("The request came from another site (http://127.0.0.1:") == true, "\(output)")
            let after = try await log(fixture, job)
            #expect(after.header.contains("for beta, failed"), "\(after.text)")
            #expect(after.text == before.text, "nothing changed")
            #expect(!after.text.contains("from the dashboard"))
        }
    }

    @Test func theRetryButtonIsReachedWithTabAndPressedWithEnter() async throws {
        try await withServe { fixture, serve in
            let job = fixture.betaUpload
            let output = try await Playwright.run(
                """
                presses = 0
                while presses < 100 and page.evaluate("document.activeElement.textContent") != "Retry this job":
                    page.keyboard.press("Tab")
                    presses += 1
                print("focused", page.evaluate("document.activeElement.tagName + ' ' + document.activeElement.textContent"), presses)
                with page.expect_navigation():
                    page.keyboard.press("Enter")
                print("after", page.inner_text("span.state"))
                print("notice", page.inner_text("p.notice"))
                """, url: serve.withToken("jobs/\(job)"), width: 1280)
            let focused = try #require(values("focused", in: output).first, "\(output)")
            #expect(focused.hasPrefix("BUTTON Retry this job "), "reached with Tab: \(output)")
            #expect(values("after", in: output) == ["queued"], "\(output)")
            #expect(values("notice", in: output) == ["queued again: job \(job)."], "\(output)")
            let (header, text) = try await log(fixture, job)
            #expect(header.contains("for beta, queued"), "\(text)")
            #expect(text.contains("retry requested from the dashboard"), "\(text)")
        }
    }
}

/// `text` as a Python string literal.
func pythonLiteral(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}
