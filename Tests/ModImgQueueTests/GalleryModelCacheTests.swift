import Foundation
import SQLiteStore
import Testing

@testable import ModImgQueue

/// A read of a mod's gallery model folds only the log entries appended since the last read of
/// it in this process, and gives the model a fold of the whole log gives.
@Suite struct GalleryModelCacheTests {
    let q: QueueFixture

    init() throws {
        q = try QueueFixture()
    }

    static func id(_ n: Int) -> String { String(format: "%040x", n) }

    func append(_ change: GalleryModel.Change, mod: String = "a") async throws {
        try await q.database.write { db in
            switch change {
            case .uploaded(let id): try GalleryLog.appendUploaded(db, mod: mod, imageID: id, job: 1, now: 1)
            case .edited(let gallery, let removed):
                try GalleryLog.appendEdited(db, mod: mod, gallery: gallery, removed: removed, job: 1, now: 1)
            }
        }
    }

    func cached(_ mod: String = "a") async throws -> GalleryModel {
        try await q.database.read { [database = q.database] db in try database.galleryModels.model(db, mod: mod) }
    }

    func folded(_ mod: String = "a") async throws -> GalleryModel {
        try await q.database.read { db in try GalleryLog.model(db, mod: mod) }
    }

    @Test func eachReadAppliesTheNewEntriesAndAgreesWithAWholeFold() async throws {
        for n in 1...5 { try await append(.uploaded(Self.id(n))) }
        #expect(try await cached() == folded())
        try await append(.edited(gallery: [Self.id(3), Self.id(1)], removed: [Self.id(9)]))
        try await append(.uploaded(Self.id(6)), mod: "b")
        try await append(.uploaded(Self.id(2)))
        let model = try await cached()
        #expect(model == (try await folded()))
        #expect(model.images == [Self.id(3), Self.id(1), Self.id(2)])
        #expect(try await cached("b") == folded("b"))
        #expect(try await cached("b").images == [Self.id(6)])
    }

    @Test func entriesAlreadyFoldedAreNotReadAgain() async throws {
        for n in 1...3 { try await append(.uploaded(Self.id(n))) }
        _ = try await cached()
        // Never done by the queue (the log is only appended to): shows the first entries were not read again.
        try await q.execute("UPDATE gallery_log SET image_ids = ? WHERE id = 1", [Self.id(99)])
        try await append(.uploaded(Self.id(4)))
        #expect(try await cached().images == [1, 2, 3, 4].map(Self.id))
        #expect(try await folded().images == [99, 2, 3, 4].map(Self.id))
    }
}
