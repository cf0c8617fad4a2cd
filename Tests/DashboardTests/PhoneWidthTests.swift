import Foundation
import TestSupport
import Testing

/// Playwright for Python (the `python3` on PATH) driving Debian's chromium (no browser download), if both are here.
enum Playwright {
    static let available: Bool = {
        guard Chromium.path != nil else { return false }
        return (try? CommandRunner.runBlocking("/usr/bin/env", ["python3", "-c", "import playwright.sync_api"])) == 0
    }()

    /// Runs `script` (Python, with `page` open at `url` in a `width`-pixel-wide viewport) and
    /// returns what it prints; under `timeout`, so a browser that hangs fails the test.
    static func run(_ script: String, url: String, width: Int) async throws -> String {
        let program = """
            import sys
            from playwright.sync_api import sync_playwright
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=\(pythonString(Chromium.path ?? "")), args=["--no-sandbox", "--disable-dev-shm-usage"])
                page = browser.new_page(viewport={"width": \(width), "height": 844})
                page.goto(\(pythonString(url)), wait_until="load")
            \(script.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
                browser.close()
            """
        let result = try await CommandRunner.run(URL(fileURLWithPath: "/usr/bin/timeout"), ["120", "/usr/bin/env", "python3", "-c", program])
        #expect(result.status == 0, "playwright: \(result.stderr)")
        return result.stdout
    }

    private static func pythonString(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

/// The overview on a phone (390 px wide), in a real browser against a real `serve`.
// Skipped, and reported as skipped, where chromium or Playwright for Python is missing (`make deps` installs them).
@Suite(.serialized, .enabled(if: Playwright.available, "needs Debian's chromium and Playwright for Python: make deps installs them"))
struct PhoneWidthTests {
    @Test func theOverviewAt390PixelsKeepsTheFailedAndRootCauseColumnsInView() async throws {
        try await withSimulator(DashboardFixture.configure) { _, url in
            let fixture = try await DashboardFixture.make(simulatorURL: url)
            let serve = try ServeProcess(db: fixture.db)
            defer { serve.stop() }
            // Each failed and root-cause cell: its left and right edge and whether it shows, one line each.
            let output = try await Playwright.run(
                """
                for cell in page.query_selector_all("table.mods td.failed, table.mods td.cause"):
                    box = cell.bounding_box()
                    print(cell.get_attribute("data-label"), box["x"], box["x"] + box["width"], cell.is_visible())
                print("page", page.evaluate("document.documentElement.scrollWidth"))
                """, url: serve.withToken("/"), width: 390)
            let lines = output.split(separator: "\n").map { $0.split(separator: " ") }
            let cells = lines.filter { $0.first != "page" }
            #expect(cells.count == 4, "alpha's and beta's failed and root cause cells: \(output)")
            for cell in cells {
                let (left, right) = (Double(cell[cell.count - 3]) ?? -1, Double(cell[cell.count - 2]) ?? .infinity)
                #expect(left >= 0 && right <= 390, "\(cell.joined(separator: " ")) is out of the 390 px viewport")
                #expect(cell.last == "True")
            }
            #expect(lines.last == ["page", "390"], "nothing wider than the phone: \(output)")
        }
    }

    @Test func aModsPageAt390PixelsKeepsPathsAndIdsReadableInItsTables() async throws {
        try await withSimulator(DashboardFixture.configure) { _, url in
            let fixture = try await DashboardFixture.make(simulatorURL: url)
            let serve = try ServeProcess(db: fixture.db)
            defer { serve.stop() }
            // The narrowest path or id cell of the history and jobs tables, in pixels.
            let output = try await Playwright.run(
                """
                widths = [cell.bounding_box()["width"] for cell in page.query_selector_all(".scroll td.mono") if cell.is_visible()]
                print("cells", len(widths), "narrowest", min(widths) if widths else 0)
                """, url: serve.withToken("mods/alpha"), width: 390)
            let words = output.split(separator: " ").map(String.init)
            let (cells, narrowest) = (Int(words.dropFirst().first ?? "") ?? 0, Double(words.last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0)
            #expect(cells >= 4, "\(output)")
            // Wrapped at every character, a path is a column of single letters (about 9 px wide).
            #expect(narrowest >= 80, "a path or id is squeezed to \(narrowest) px: \(output)")
        }
    }
}
