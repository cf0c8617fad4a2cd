import Foundation
import TestSupport
import Testing

/// Debian's `chromium`, if installed (`make deps` installs it).
enum Chromium {
    static let path: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// The DOM headless Chromium builds from `url` once the page has loaded. Run under
    /// `timeout`, so a browser that never finishes fails the test instead of hanging it.
    static func dumpDOM(_ url: String, profile: String) async throws -> String {
        let result = try await CommandRunner.run(
            URL(fileURLWithPath: "/usr/bin/timeout"),
            [
                "60", path ?? "/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--user-data-dir=\(profile)", "--dump-dom", url,
            ])
        #expect(result.status == 0, "chromium: \(result.stderr)")
        return result.stdout
    }
}

/// A real browser loads pages from a real `serve` process on a queue worked against `modportal-sim`.
// Skipped, and reported as skipped, where Debian's chromium is not installed (`make deps` installs it).
@Suite(.serialized, .enabled(if: Chromium.path != nil, "needs Debian's chromium: make deps installs it"))
struct BrowserTests {
    @Test func theOverviewAndAModsGalleryRenderInChromium() async throws {
        try await withSimulator(DashboardFixture.configure) { _, url in
            let fixture = try await DashboardFixture.make(simulatorURL: url)
            let serve = try ServeProcess(db: fixture.db)
            defer { serve.stop() }
            let profile = fixture.dir.file("chromium-profile")

            let overview = try await Chromium.dumpDOM(serve.printedURL, profile: profile)
            #expect(overview.contains("<a href=\"/mods/alpha\">alpha</a>"))
            #expect(overview.contains("<a href=\"/mods/beta\">beta</a>"))
            #expect(overview.contains("4 of 5 done"))

            let modPage = try await Chromium.dumpDOM(serve.withToken("mods/alpha"), profile: profile)
            #expect(galleryIDs(in: modPage) == fixture.alphaGallery)
            let thumbnails = modPage.components(separatedBy: "<div class=\"thumb\"><img ").count - 1
            #expect(thumbnails == 4)
            #expect(modPage.contains("src=\"/files/\(fixture.queuedUpload)\""))
        }
    }
}
