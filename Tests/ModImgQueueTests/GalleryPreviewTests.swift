import Foundation
import TestSupport
import Testing

@testable import ModImgQueue

/// The gallery as the queue will leave it, which the dashboard's mod page draws.
@Suite struct GalleryPreviewTests {
    /// Puts an upload of `file` in the history as done (as the worker records it), returning its id.
    func markUploaded(_ q: QueueFixture, job: Int64) async throws -> String {
        let upload = try #require(try await q.job(job).upload)
        try await q.execute(
            "UPDATE jobs SET state = 'done', result_image_id = file_sha1, finished_at = 1 WHERE id = ?", [job])
        try await q.execute(
            """
            INSERT INTO images (mod, image_id, url, thumbnail, file_path, uploaded_at, job_id)
            VALUES ('m', ?, 'https://portal.example/i/' || ?, 'https://portal.example/t/' || ?, ?, 1, ?)
            """, [upload.sha1, upload.sha1, upload.sha1, upload.path, job])
        try await q.execute(
            "INSERT INTO gallery_log (mod, at, job_id, kind, image_ids) VALUES ('m', 1, ?, 'uploaded', ?)", [job, upload.sha1])
        return upload.sha1
    }

    func preview(_ q: QueueFixture) async throws -> GalleryPreview {
        try await QueueQueries(database: q.database).gallery(mod: "m")
    }

    @Test func withoutAReorderItIsTheHistoryThenTheUploadsStillToRunAndFailed() async throws {
        let q = try QueueFixture()
        let files = try q.pngs(1...4)
        let jobs = try await Enqueuer(database: q.database).enqueueUploads(mod: "m", paths: files).queued
        let first = try await markUploaded(q, job: jobs[1])
        let second = try await markUploaded(q, job: jobs[0])
        try await q.execute(
            "UPDATE jobs SET state = 'failed', last_error_code = 'InvalidImageUpload', last_error_message = 'too big' WHERE id = ?",
            [jobs[2]])
        try await q.execute("UPDATE jobs SET state = 'cancelled' WHERE id = ?", [jobs[3]])
        let gallery = try await preview(q)
        #expect(gallery.orderSource == .history)
        #expect(gallery.items.map(\.imageID).prefix(2) == [first, second])
        #expect(gallery.items.map(\.standing) == [.uploaded, .uploaded, .failed])
        #expect(gallery.items[0].thumbnail == "https://portal.example/t/\(first)")
        #expect(gallery.items[2].job == jobs[2])
        #expect(gallery.items[2].file == files[2])
        #expect(gallery.items[2].error == "InvalidImageUpload: too big")
    }

    @Test func aPendingReorderDecidesTheOrderWithItsUploadsStillQueued() async throws {
        let q = try QueueFixture()
        let files = try q.pngs(1...3)
        let enqueuer = Enqueuer(database: q.database)
        let uploads = try await enqueuer.enqueueUploads(mod: "m", paths: files).queued
        let reorder = try await enqueuer.enqueueReorder(mod: "m", images: [files[2], files[0], files[1]])
        let shas = (1...3).map { ImageFixtures.sha1Hex(ImageFixtures.png(seed: $0)) }
        let gallery = try await preview(q)
        #expect(gallery.orderSource == .reorder(job: reorder, state: .queued))
        #expect(gallery.items.map(\.imageID) == [shas[2], shas[0], shas[1]])
        #expect(gallery.items.map(\.job) == [uploads[2], uploads[0], uploads[1]])
        #expect(gallery.items.allSatisfy { $0.standing == .queued && $0.thumbnail == nil })
    }

    @Test func aDoneReorderDropsWhatItLeftOutButNotWhatWasUploadedAfterIt() async throws {
        let q = try QueueFixture()
        let files = try q.pngs(1...4)
        let enqueuer = Enqueuer(database: q.database)
        let uploads = try await enqueuer.enqueueUploads(mod: "m", paths: Array(files[0...2])).queued
        var shas: [String] = []
        for job in uploads { shas.append(try await markUploaded(q, job: job)) }
        let unknown = String(repeating: "c", count: 40)
        let reorder = try await enqueuer.enqueueReorder(mod: "m", images: [shas[2], unknown, shas[0]])
        try await q.execute("UPDATE jobs SET state = 'done', finished_at = 2 WHERE id = ?", [reorder])
        try await q.execute(
            "INSERT INTO gallery_log (mod, at, job_id, kind, image_ids) VALUES ('m', 2, ?, 'edited', ?)",
            [reorder, [shas[2], unknown, shas[0]].joined(separator: ",")])
        let later = try await enqueuer.enqueueUploads(mod: "m", paths: [files[3]]).queued[0]
        let gallery = try await preview(q)
        #expect(gallery.orderSource == .reorder(job: reorder, state: .done))
        #expect(gallery.items.map(\.imageID) == [shas[2], unknown, shas[0], ImageFixtures.sha1Hex(ImageFixtures.png(seed: 4))])
        #expect(gallery.items.map(\.standing) == [.uploaded, .onPortal, .uploaded, .queued])
        #expect(gallery.items.last?.job == later)
    }

    @Test func aRemovalKeepsTheOthersInOrderAndAFailedReorderDecidesNothing() async throws {
        let q = try QueueFixture()
        let files = try q.pngs(1...3)
        let enqueuer = Enqueuer(database: q.database)
        var shas: [String] = []
        for job in try await enqueuer.enqueueUploads(mod: "m", paths: files).queued { shas.append(try await markUploaded(q, job: job)) }
        let removal = try await enqueuer.enqueueRemoval(mod: "m", images: [shas[1]])
        let failed = try await enqueuer.enqueueReorder(mod: "m", images: [shas[2], shas[0]])
        try await q.execute("UPDATE jobs SET state = 'failed' WHERE id = ?", [failed])
        let gallery = try await preview(q)
        #expect(gallery.orderSource == .reorder(job: removal, state: .queued))
        #expect(gallery.staying == [shas[0], shas[2]])
        // The image the removal takes out stays in view at its place, leaving, until the job is done.
        #expect(gallery.items.map(\.imageID) == shas)
        #expect(gallery.items.map(\.leavingBy) == [nil, removal, nil])
    }

    /// A window of the gallery is that slice of the whole: the same images, in the same order,
    /// with the same details, whatever decided the order.
    @Test func aWindowIsThatSliceOfTheWholeGallery() async throws {
        let q = try QueueFixture()
        let files = try q.pngs(1...6)
        let enqueuer = Enqueuer(database: q.database)
        let jobs = try await enqueuer.enqueueUploads(mod: "m", paths: Array(files[0...3])).queued
        let first = try await markUploaded(q, job: jobs[0])
        _ = try await markUploaded(q, job: jobs[1])
        try await q.execute(
            "UPDATE jobs SET state = 'failed', last_error_code = 'InvalidImageUpload', last_error_message = 'too big' WHERE id = ?",
            [jobs[2]])
        func expectWindowsAreSlices() async throws {
            let queries = QueueQueries(database: q.database)
            let whole = try await queries.gallery(mod: "m")
            #expect(whole.first == 0 && whole.count == whole.items.count)
            for start in 0...whole.count + 1 {
                for end in start...whole.count + 2 {
                    let window = try await queries.gallery(mod: "m", window: start..<end)
                    let clamped = min(start, whole.count)..<min(end, whole.count)
                    #expect(window.items == Array(whole.items[clamped]), "\(start)..<\(end)")
                    #expect(window.first == clamped.lowerBound && window.count == whole.count)
                    #expect(window.orderSource == whole.orderSource)
                }
            }
        }
        try await expectWindowsAreSlices()
        // A reorder still to run that keeps nothing unlisted, and an upload queued after it.
        let reorder = try await enqueuer.enqueueReorder(mod: "m", images: [files[3], first])
        _ = try await enqueuer.enqueueUploads(mod: "m", paths: Array(files[4...5]))
        #expect(try await QueueQueries(database: q.database).gallery(mod: "m").orderSource == .reorder(job: reorder, state: .queued))
        try await expectWindowsAreSlices()
    }
}

