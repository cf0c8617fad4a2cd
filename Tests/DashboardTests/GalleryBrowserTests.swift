import Foundation
import ModImgQueue
import ModPortalSim
import TestSupport
import Testing

/// Editing a gallery in a real browser (Playwright driving chromium) against a real `serve`,
/// then `modimg-queue work` against `modportal-sim`: the portal ends as the page showed.
/// Screenshots go to `$MODIMG_SCREENSHOTS` when set (the README's picture comes from there).
// Skipped, and reported as skipped, where chromium or Playwright for Python is missing (`make deps` installs them).
@Suite(.serialized, .enabled(if: Playwright.available, "needs Debian's chromium and Playwright for Python: make deps installs them"))
struct GalleryBrowserTests {
    static func screenshot(_ fixture: DashboardFixture, _ name: String) -> String {
        let folder = ProcessInfo.processInfo.environment["MODIMG_SCREENSHOTS"] ?? fixture.dir.url.path
        return URL(fileURLWithPath: folder).appendingPathComponent(name).path
    }

    static func work(_ fixture: DashboardFixture, _ url: URL) async throws {
        _ = try await CommandRunner.run(
            Binaries.modimgQueue, ["work", "--db", fixture.db, "--rate", "100/s", "--no-progress"],
            environment: ["MOD_EDIT_API_KEY": SimDefaults.apiKey, "MODIMG_PORTAL_URL": url.absoluteString])
    }

    /// The lines of `output` that start with `label`, without it.
    static func value(_ output: String, _ label: String) -> String? {
        output.split(separator: "\n").first { $0.hasPrefix(label + " ") }.map { String($0.dropFirst(label.count + 1)) }
    }

    @Test func draggingTheThirdThumbnailToTheFrontAndSavingReordersThePortalAfterWork() async throws {
        try await withSimulator(DashboardFixture.configure) { sim, url in
            let fixture = try await DashboardFixture.make(simulatorURL: url)
            let serve = try ServeProcess(db: fixture.db)
            defer { serve.stop() }
            let shown = fixture.alphaGallery
            let output = try await Playwright.run(
                """
                page.goto(\(Self.python(serve.url + "mods/alpha")), wait_until="load")
                page.drag_and_drop("#gallery-order li[data-image-id='\(shown[2])']", "#gallery-order li[data-image-id='\(shown[0])']")
                print("draft", page.input_value("#gallery-order input[name=order]"))
                page.screenshot(path=\(Self.python(Self.screenshot(fixture, "gallery-dragged.png"))), full_page=True)
                with page.expect_navigation():
                    page.click("#gallery-order button[name=save]")
                print("saved", ",".join(page.eval_on_selector_all("#gallery-order li[data-image-id]", "els => els.map(e => e.dataset.imageId)")))
                print("notice", page.text_content("p.notice"))
                """, url: serve.withToken("/"), width: 1100)
            let moved = [shown[2], shown[0], shown[1], shown[3]]
            #expect(Self.value(output, "draft") == moved.joined(separator: ","), "\(output)")
            #expect(Self.value(output, "saved") == moved.joined(separator: ","), "\(output)")
            #expect(Self.value(output, "notice")?.hasPrefix("queued reorder job") == true, "\(output)")
            let reorders = try await JobListing(database: try QueueDatabase.open(path: fixture.db)).jobs(
                JobFilter(state: .queued, mod: "alpha", kind: .reorder))
            #expect(reorders.map(\.imageIDs) == [moved])
            try await Self.work(fixture, url)
            #expect(sim.state().galleries["alpha"] == moved)
        }
    }

    @Test func droppingTwoFilesRemovingAnImageAndTakingAnEditBackLeaveThePortalAsThePageShowed() async throws {
        try await withSimulator(DashboardFixture.configure) { sim, url in
            let fixture = try await DashboardFixture.make(simulatorURL: url)
            let serve = try ServeProcess(db: fixture.db)
            defer { serve.stop() }
            let shown = fixture.alphaGallery
            let files = try (1...2).map { try ImageFixtures.writePNG(seed: 960 + $0, to: fixture.dir.url, name: "dropped-\($0).png") }
            let new = try files.map { try ImageFixtures.sha1Hex(Data(contentsOf: URL(fileURLWithPath: $0))) }
            let output = try await Playwright.run(
                """
                import base64
                page.goto(\(Self.python(serve.url + "mods/alpha")), wait_until="load")
                # Take back the fourth upload, still queued.
                with page.expect_navigation():
                    page.click("button[aria-label='take back job \(fixture.queuedUpload)']")
                print("took", page.text_content("p.notice"))
                # Drop two files on the second thumbnail.
                files = [[name, base64.b64encode(open(path, "rb").read()).decode()] for name, path in [["dropped-1.png", \(Self.python(files[0]))], ["dropped-2.png", \(Self.python(files[1]))]]]
                with page.expect_navigation():
                    page.evaluate('''([files, id]) => {
                      const dt = new DataTransfer();
                      for (const [name, b64] of files) {
                        const text = atob(b64), bytes = new Uint8Array(text.length);
                        for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
                        dt.items.add(new File([bytes], name, {type: "image/png"}));
                      }
                      const target = document.querySelector(`#gallery-order li[data-image-id="${id}"]`);
                      const box = target.getBoundingClientRect();
                      target.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true, clientX: box.left + 4, clientY: box.top + 4}));
                    }''', [files, "\(shown[1])"])
                print("added", page.text_content("p.notice"))
                # Remove the image now fourth.
                with page.expect_navigation():
                    page.click("#gallery-order button[name=remove][value='\(shown[1])']")
                print("removed", page.text_content("p.notice"))
                page.screenshot(path=\(Self.python(Self.screenshot(fixture, "gallery-editing.png"))))
                print("staying", ",".join(page.eval_on_selector_all("#gallery-order li[data-image-id]:not(.leaving)", "els => els.map(e => e.dataset.imageId)")))
                print("leaving", ",".join(page.eval_on_selector_all("#gallery-order li.leaving", "els => els.map(e => e.dataset.imageId)")))
                """, url: serve.withToken("/"), width: 1100)
            let staying = [shown[0], new[0], new[1], shown[2]]
            #expect(Self.value(output, "took") == "taken back: job \(fixture.queuedUpload).", "\(output)")
            #expect(Self.value(output, "added")?.hasPrefix("queued uploads: jobs") == true, "\(output)")
            #expect(Self.value(output, "staying") == staying.joined(separator: ","), "\(output)")
            #expect(Self.value(output, "leaving") == shown[1], "\(output)")
            // Exactly the jobs the page asked for, besides the fixture's.
            let queue = try QueueDatabase.open(path: fixture.db)
            let jobs = try await JobListing(database: queue).jobs(JobFilter(mod: "alpha", oldestFirst: true))
            let edits = jobs.filter { $0.id > fixture.queuedUpload }
            #expect(try await JobListing(database: queue).job(id: fixture.queuedUpload).state == .cancelled)
            #expect(edits.map(\.kind) == [.upload, .upload, .reorder, .reorder], "\(edits.map(\.id))")
            #expect(edits.map(\.state) == [.queued, .queued, .queued, .queued])
            if edits.count == 4 {
                #expect(edits[2].imageIDs == [shown[0], new[0], new[1], shown[1], shown[2]])
                #expect(edits[3].imageIDs == [] && edits[3].excludedIDs == [shown[1]])
            }
            try await Self.work(fixture, url)
            #expect(sim.state().galleries["alpha"] == staying)
        }
    }

    private static func python(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
