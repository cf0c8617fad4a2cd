import Foundation
import ModPortalSim
import TestSupport
import Testing

@testable import ModImgQueue

/// Gallery edits as a page makes them become jobs; after the real `work` against `modportal-sim`
/// the portal's gallery is the one the preview showed with the edits in it.
@Suite struct GalleryEditorTests {
    func work(_ queue: QueueFixture, _ url: URL) async throws {
        let result = try await CommandRunner.run(
            Binaries.modimgQueue, ["work", "--db", queue.path, "--rate", "100/s", "--no-progress"],
            environment: ["MOD_EDIT_API_KEY": SimDefaults.apiKey, "MODIMG_PORTAL_URL": url.absoluteString])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func droppedFilesAnOrderARemovalAndATakenBackEditLeaveThePortalAsThePreviewShowed() async throws {
        try await withSimulator { sim, url in
            let queue = try QueueFixture()
            let editor = GalleryEditor(database: queue.database)
            let uploads = try await Enqueuer(database: queue.database).enqueueUploads(mod: "m", paths: try queue.pngs(1...3)).queued
            try await work(queue, url)
            let ids = (1...3).map { ImageFixtures.sha1Hex(ImageFixtures.png(seed: $0)) }
            #expect(uploads.count == 3)

            // The third image to the front.
            _ = try await editor.saveOrder(mod: "m", order: [ids[2], ids[0], ids[1]])
            // Two files dropped at position 1 (one not an image, one a copy of a gallery image refused).
            let added = try await editor.add(
                mod: "m",
                files: [
                    ("new-a.png", ImageFixtures.png(seed: 4)), ("notes.txt", Data("hello".utf8)),
                    ("copy.png", ImageFixtures.png(seed: 1)), ("new-b.png", ImageFixtures.png(seed: 5)),
                ], at: 1)
            #expect(added.uploads.count == 2)
            #expect(added.refused.map(\.name) == ["notes.txt", "copy.png"])
            #expect(added.refused[0].reason.contains("not a PNG, JPEG or GIF"))
            #expect(added.reorder != nil)
            // One image out; then a second removal taken back before it ran.
            _ = try await editor.remove(mod: "m", id: ids[0])
            let second = try await editor.remove(mod: "m", id: ids[1])
            #expect(try await editor.takeBack(job: second).changed == [second])

            let gallery = try await QueueQueries(database: queue.database).gallery(mod: "m")
            let preview = gallery.staying
            let new = [4, 5].map { ImageFixtures.sha1Hex(ImageFixtures.png(seed: $0)) }
            #expect(preview == [ids[2], new[0], new[1], ids[1]], "the page shows the edits")
            #expect(gallery.items.map(\.imageID) == [ids[0]] + preview, "the removed image shown at its place, leaving")
            #expect(gallery.items.first?.leavingBy != nil)
            try await work(queue, url)
            #expect(sim.state().galleries["m"] == preview, "the night applied exactly what the page showed")
            // The dropped files are kept beside the queue, by their SHA1, under their own names.
            #expect(FileManager.default.fileExists(atPath: queue.path + ".files/\(new[0])/new-a.png"))
        }
    }

    @Test func anOrderMustHoldEveryImageOfTheGalleryOnce() async throws {
        let queue = try QueueFixture()
        let editor = GalleryEditor(database: queue.database)
        _ = try await Enqueuer(database: queue.database).enqueueUploads(mod: "m", paths: try queue.pngs(1...2))
        let ids = (1...2).map { ImageFixtures.sha1Hex(ImageFixtures.png(seed: $0)) }
        await #expect(throws: GalleryEditor.EditError.leavesOut([ids[1]])) { try await editor.saveOrder(mod: "m", order: [ids[0]]) }
        await #expect(throws: GalleryEditor.EditError.twice(ids[0])) {
            try await editor.saveOrder(mod: "m", order: [ids[0], ids[0], ids[1]])
        }
        let stranger = String(repeating: "c", count: 40)
        await #expect(throws: GalleryEditor.EditError.notInGallery(stranger)) {
            try await editor.saveOrder(mod: "m", order: [ids[1], ids[0], stranger])
        }
        #expect(try await queue.count("SELECT COUNT(*) AS n FROM jobs WHERE kind = 'reorder'") == 0)
    }
}
