import Foundation
import TestSupport
import Testing

@testable import ModImgQueue

@Suite struct PlanPageTests {
    func sha(_ seed: Int) -> String { ImageFixtures.sha1Hex(ImageFixtures.png(seed: seed)) }

    /// The page's cards in order: (class, picture address or nil, caption).
    func cards(_ html: String, in part: String = "") -> [(kind: String, source: String?, caption: String)] {
        html.components(separatedBy: "<li class=\"").dropFirst().map { item in
            let kind = String(item.prefix { $0 != "\"" })
            let source = item.range(of: "<img src=\"").map { String(item[$0.upperBound...].prefix { $0 != "\"" }) }
            let caption = item.range(of: "<span class=\"name\">").map { String(item[$0.upperBound...].prefix { $0 != "<" }) } ?? ""
            return (kind, source, caption)
        }
    }

    @Test func showsTheFinalGalleryInOrderWithLocalFilesAndTheHistorysThumbnails() async throws {
        let q = try QueueFixture()
        let paths = try q.pngs(1...3)
        let extra = String(repeating: "e", count: 40)
        let plan = try await EnqueuePlanner(database: q.database).plan(
            [GallerySpec(mod: "m", imagePaths: paths, prune: false)], galleries: ["m": [extra, sha(2)]])
        let html = PlanPage.html(plan, thumbnails: [extra: "https://assets.example/e.thumb.png"])
        let shown = cards(html)
        #expect(shown.map(\.kind) == ["to-upload", "already-there", "to-upload", "already-there"])
        #expect(shown.map(\.source) == paths.map { URL(fileURLWithPath: $0).absoluteString } + ["https://assets.example/e.thumb.png"])
        #expect(shown.map(\.caption) == ["image-1.png", "image-2.png", "image-3.png", String(extra.prefix(12))])
        #expect(!html.contains("<script"))
        #expect(!html.contains("http://") && !html.contains("//cdn"), "no external assets but the portal's thumbnails")
    }

    @Test func marksWhatThePruneRemovesAndNeverUsesAnAddressThatIsNotAPicture() async throws {
        let q = try QueueFixture()
        let extra = String(repeating: "e", count: 40)
        let other = String(repeating: "f", count: 40)
        let plan = try await EnqueuePlanner(database: q.database).plan(
            [GallerySpec(mod: "m", imagePaths: try q.pngs(1...1), prune: true)], galleries: ["m": [extra, other]])
        let html = PlanPage.html(plan, thumbnails: [extra: "javascript:alert(1)", other: "https://assets.example/f.png"])
        let shown = cards(html)
        #expect(shown.map(\.kind) == ["to-upload", "to-prune", "to-prune"])
        #expect(shown[1].source == nil, "a javascript: address is not a picture")
        #expect(shown[2].source == "https://assets.example/f.png")
        #expect(!html.contains("javascript:"))
    }

    @Test func aFileNameWithMarkupIsShownAsText() async throws {
        let q = try QueueFixture()
        let hostile = q.dir.file("<script>alert('x')<script>.png")
        try FileManager.default.copyItem(atPath: try q.pngs(1...1)[0], toPath: hostile)
        let plan = try await EnqueuePlanner(database: q.database).plan(
            [GallerySpec(mod: "m", imagePaths: [hostile], prune: false)], galleries: ["m": []])
        let html = PlanPage.html(plan, thumbnails: [:])
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;script&gt;.png"))
        #expect(cards(html).map(\.kind) == ["to-upload"])
    }

    @Test func refusesAnOutputWhoseFolderIsMissingOrThatIsAFolder() throws {
        let dir = try TemporaryDirectory("plan-page")
        #expect(throws: PlanPageError.self) { try PlanPage.checkDestination(dir.file("missing/plan.html")) }
        #expect(throws: PlanPageError.self) { try PlanPage.checkDestination(dir.url.path) }
        try PlanPage.checkDestination(dir.file("plan.html"))
        try PlanPage.write("<p>x</p>", to: dir.file("plan.html"))
        #expect(try String(contentsOfFile: dir.file("plan.html"), encoding: .utf8) == "<p>x</p>")
    }

    @Test func replacesAnEarlierPlanPageAndNothingElse() async throws {
        let q = try QueueFixture()
        let page = q.dir.file("plan.html")
        let plan = try await EnqueuePlanner(database: q.database).plan(
            [GallerySpec(mod: "m", imagePaths: try q.pngs(1...1), prune: false)], galleries: [:])
        try PlanPage.write(PlanPage.html(plan, thumbnails: [:]), to: page)
        try PlanPage.checkDestination(page)
        try PlanPage.write(PlanPage.html(plan, thumbnails: [:]), to: page)
        let image = try q.pngs(2...2)[0]
        let text = q.dir.file("notes.html")
        try Data("<html><title>my notes</title></html>".utf8).write(to: URL(fileURLWithPath: text))
        let dangling = q.dir.file("dangling.html")
        #expect(symlink(q.dir.file("nothing-here"), dangling) == 0)
        let toQueue = q.dir.file("queue-link.html")
        #expect(symlink(q.path, toQueue) == 0)
        let fifo = q.dir.file("fifo.html")
        #expect(mkfifo(fifo, 0o600) == 0)
        let refusals = [
            (fifo, "something that is not a readable file"),
            (q.path, "an SQLite database"), (image, "a PNG image"), (text, "other content"), (dangling, "something that is not a readable file"),
            (toQueue, "an SQLite database"),
        ]
        for (path, what) in refusals {
            let before = try? Data(contentsOf: URL(fileURLWithPath: path))
            let error = try #require(throws: PlanPageError.self) { try PlanPage.checkDestination(path) }
            #expect(error.description.contains("it already holds \(what), not a plan page this command wrote"), "\(error)")
            #expect(throws: PlanPageError.self) { try PlanPage.write(PlanPage.html(plan, thumbnails: [:]), to: path) }
            #expect((try? Data(contentsOf: URL(fileURLWithPath: path))) == before, "\(path) was changed")
        }
    }
}
