import Foundation
import TestSupport
import Testing

@testable import ModImgQueue

/// A file whose name is not UTF-8 cannot be kept in the queue: it is refused for that reason,
/// shown with its stray bytes escaped, never called missing.
@Suite struct NonUTF8NameTests {
    /// `shot-<0xFF>.png`: Latin-1 `ÿ`, not UTF-8.
    static let strayName: [UInt8] = Array("shot-".utf8) + [0xFF] + Array(".png".utf8)

    /// Writes `data` at `folder/name`, the name given as bytes.
    func write(_ data: Data, in folder: String, name: [UInt8]) throws {
        try write(data, at: Array(folder.utf8) + [0x2F] + name)
    }

    /// Writes `data` at the path given as bytes.
    func write(_ data: Data, at bytes: [UInt8]) throws {
        let path = bytes + [0]
        let descriptor = path.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY | O_TRUNC, 0o644) }
        }
        #expect(descriptor >= 0)
        defer { close(descriptor) }
        _ = data.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
    }

    /// A folder `tree` with mod folder `m` holding `01.png` and the stray name.
    func tree(_ dir: TemporaryDirectory) throws -> String {
        let mod = dir.url.appendingPathComponent("tree/m")
        try FileManager.default.createDirectory(at: mod, withIntermediateDirectories: true)
        try ImageFixtures.png(seed: 1).write(to: mod.appendingPathComponent("01.png"))
        try write(ImageFixtures.png(seed: 2), in: mod.path, name: Self.strayName)
        return dir.url.appendingPathComponent("tree").path
    }

    @Test func aFolderHoldingAnImageWhoseNameIsNotUTF8IsRefusedForThatReason() throws {
        let dir = try TemporaryDirectory("non-utf8")
        let tree = try tree(dir)
        let error = try #require(throws: GallerySpecError.self) { try GallerySpecLoader.load(path: tree) }
        #expect(error == .nameNotUTF8(tree + "/m/shot-\\xFF.png"))
        #expect(error.description.contains("shot-\\xFF.png has a name that is not valid UTF-8"), "\(error)")
        #expect(!error.description.contains("does not exist"))
    }

    @Test func aModFolderWhoseNameIsNotUTF8IsShownEscaped() throws {
        let dir = try TemporaryDirectory("non-utf8")
        let root = dir.url.appendingPathComponent("tree").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let folder = Array(root.utf8) + [0x2F, 0x6D, 0xE9]  // "m" then Latin-1 "é"
        #expect((folder + [0]).withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { mkdir($0.baseAddress!, 0o755) } } == 0)
        try write(ImageFixtures.png(seed: 1), at: folder + Array("/01.png".utf8))
        let error = try #require(throws: GallerySpecError.self) { try GallerySpecLoader.load(path: root) }
        #expect(error == .invalidModFolder(root + "/m\\xE9"))
    }

    @Test func anImageNamedAsTextWhereItsNameIsNotUTF8IsRefusedForThatReason() throws {
        let dir = try TemporaryDirectory("non-utf8")
        try write(ImageFixtures.png(seed: 2), in: dir.url.path, name: Self.strayName)
        // How a name that is not UTF-8 arrives as text (an argument, a listing): U+FFFD for the stray byte.
        let asText = dir.url.path + "/" + String(decoding: Self.strayName, as: UTF8.self)
        #expect(throws: ImageFileError.nameNotUTF8(dir.url.path + "/shot-\\xFF.png")) { try ImageFile.inspect(path: asText) }
        #expect(throws: ImageFileError.missing(dir.url.path + "/other-\u{FFFD}.png")) {
            try ImageFile.inspect(path: dir.url.path + "/other-\u{FFFD}.png")
        }
    }

    @Test func enqueueAndUploadSayWhyThroughTheBinary() async throws {
        let dir = try TemporaryDirectory("non-utf8")
        let tree = try tree(dir)
        let db = dir.file("queue.sqlite3")
        let enqueue = try await CommandRunner.run(Binaries.modimgQueue, ["enqueue", tree, "--offline", "--db", db])
        #expect(enqueue.status == 1)
        #expect(enqueue.stderr.contains("the file \(tree)/m/shot-\\xFF.png has a name that is not valid UTF-8"), "\(enqueue.stderr)")
        #expect(enqueue.stderr.split(separator: "\n").count == 1)
        // The name's own bytes as the argument, as a shell passes them.
        let upload = try await CommandRunner.run(
            URL(fileURLWithPath: "/bin/sh"),
            ["-c", #"exec "$0" upload m "$1/m/$(printf 'shot-\377.png')" --db "$2""#, Binaries.modimgQueue.path, tree, db])
        #expect(upload.status == 1)
        #expect(upload.stderr.contains("\(tree)/m/shot-\\xFF.png has a name that is not valid UTF-8"), "\(upload.stderr)")
        if FileManager.default.fileExists(atPath: db) {
            #expect(try await QueueQueries(database: try QueueDatabase.open(path: db)).status(now: 0).total.queued == 0)
        }
    }
}
