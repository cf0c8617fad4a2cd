import Foundation
import TestSupport
import Testing

@testable import ModImgQueue

@Suite struct EnqueuerTests {
    @Test func queuesOneUploadPerImageWithHashAndSizeAndAnEvent() async throws {
        let q = try QueueFixture()
        let paths = try q.pngs(1...3)
        let ids = try await Enqueuer(database: q.database).enqueueUploads(mod: "my-mod", paths: paths).queued
        #expect(ids.count == 3)
        for (id, seed) in zip(ids, 1...3) {
            let job = try await QueueQueries(database: q.database).job(id: id)
            #expect(job.kind == .upload)
            #expect(job.state == .queued)
            #expect(job.upload?.sha1 == ImageFixtures.sha1Hex(ImageFixtures.png(seed: seed)))
            #expect(job.upload?.size == Int64(ImageFixtures.png(seed: seed).count))
            #expect(try await QueueQueries(database: q.database).events(jobID: id).map(\.toState) == ["queued"])
        }
    }

    @Test func oneBadFileRejectsTheWholeCommandAndQueuesNothing() async throws {
        let q = try QueueFixture()
        var paths = try q.pngs(1...3)
        let bad = q.dir.file("bad.png")
        try Data("not an image".utf8).write(to: URL(fileURLWithPath: bad))
        paths.insert(bad, at: 2)
        await #expect(throws: ImageFileError.notAnImage(bad)) {
            try await Enqueuer(database: q.database).enqueueUploads(mod: "my-mod", paths: paths)
        }
        #expect(try await q.count("SELECT COUNT(*) AS n FROM jobs") == 0)
        #expect(try await q.count("SELECT COUNT(*) AS n FROM job_events") == 0)
    }

    @Test func rejectsInvalidModNamesAndIDs() async throws {
        let q = try QueueFixture()
        let paths = try q.pngs(1...1)
        await #expect(throws: QueueError.invalidModName("no spaces")) {
            try await Enqueuer(database: q.database).enqueueUploads(mod: "no spaces", paths: paths)
        }
        let good = String(repeating: "ab", count: 20)
        await #expect(throws: QueueError.invalidImageID("xyz")) {
            try await Enqueuer(database: q.database).enqueueReorder(mod: "m", images: [good, "xyz"])
        }
        #expect(try await q.count("SELECT COUNT(*) AS n FROM jobs") == 0)
    }

    @Test func queuesAReorderWithNormalisedIDsInOrder() async throws {
        let q = try QueueFixture()
        let a = String(repeating: "AB", count: 20)
        let b = String(repeating: "cd", count: 20)
        let id = try await Enqueuer(database: q.database).enqueueReorder(mod: "m", images: [b, a])
        #expect(try await QueueQueries(database: q.database).job(id: id).reorder?.imageIDs == [b, a.lowercased()])
    }
}
