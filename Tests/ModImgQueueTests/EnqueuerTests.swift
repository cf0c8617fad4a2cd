import Foundation
import TestSupport
import Testing

@testable import ModImgQueue

@Suite struct EnqueuerTests {
    @Test func queuesOneUploadPerImageWithHashAndSizeAndAnEvent() throws {
        let q = try QueueFixture()
        let paths = try q.pngs(1...3)
        let ids = try Enqueuer(store: q.store).enqueueUploads(mod: "my-mod", paths: paths).queued
        #expect(ids.count == 3)
        for (id, seed) in zip(ids, 1...3) {
            let job = try QueueQueries(store: q.store).job(id: id)
            #expect(job.kind == .upload)
            #expect(job.state == .queued)
            #expect(job.fileSHA1 == ImageFixtures.sha1Hex(ImageFixtures.png(seed: seed)))
            #expect(job.fileSize == Int64(ImageFixtures.png(seed: seed).count))
            #expect(try QueueQueries(store: q.store).events(jobID: id).map(\.toState) == ["queued"])
        }
    }

    @Test func oneBadFileRejectsTheWholeCommandAndQueuesNothing() throws {
        let q = try QueueFixture()
        var paths = try q.pngs(1...3)
        let bad = q.dir.file("bad.png")
        try Data("not an image".utf8).write(to: URL(fileURLWithPath: bad))
        paths.insert(bad, at: 2)
        #expect(throws: ImageFileError.notAnImage(bad)) {
            try Enqueuer(store: q.store).enqueueUploads(mod: "my-mod", paths: paths)
        }
        #expect(try q.count("SELECT COUNT(*) AS n FROM jobs") == 0)
        #expect(try q.count("SELECT COUNT(*) AS n FROM job_events") == 0)
    }

    @Test func rejectsInvalidModNamesAndIDs() throws {
        let q = try QueueFixture()
        let paths = try q.pngs(1...1)
        #expect(throws: QueueError.invalidModName("no spaces")) {
            try Enqueuer(store: q.store).enqueueUploads(mod: "no spaces", paths: paths)
        }
        let good = String(repeating: "ab", count: 20)
        #expect(throws: QueueError.invalidImageID("xyz")) {
            try Enqueuer(store: q.store).enqueueReorder(mod: "m", images: [good, "xyz"])
        }
        #expect(try q.count("SELECT COUNT(*) AS n FROM jobs") == 0)
    }

    @Test func queuesAReorderWithNormalisedIDsInOrder() throws {
        let q = try QueueFixture()
        let a = String(repeating: "AB", count: 20)
        let b = String(repeating: "cd", count: 20)
        let id = try Enqueuer(store: q.store).enqueueReorder(mod: "m", images: [b, a])
        #expect(try QueueQueries(store: q.store).job(id: id).imageIDs == [b, a.lowercased()])
    }
}
