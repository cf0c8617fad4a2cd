import Foundation
import TestSupport
import Testing

@testable import ModImgQueue

@Suite struct ImageFileTests {
    let dir: TemporaryDirectory

    init() throws {
        dir = try TemporaryDirectory("imagefile")
    }

    @Test func acceptsAPNGAndRecordsItsSHA1AndSize() throws {
        let data = ImageFixtures.png(seed: 1)
        let path = try ImageFixtures.writePNG(seed: 1, to: dir.url)
        let file = try ImageFile.inspect(path: path)
        #expect(file.sha1 == ImageFixtures.sha1Hex(data))
        #expect(file.size == Int64(data.count))
        #expect(file.format == .png)
        #expect(file.path == path)
    }

    @Test func judgesByContentNotByExtension() throws {
        let gifNamedPNG = dir.file("really-a-gif.png")
        try ImageFixtures.gif.write(to: URL(fileURLWithPath: gifNamedPNG))
        #expect(try ImageFile.inspect(path: gifNamedPNG).format == .gif)
        let textNamedPNG = dir.file("notes.png")
        try Data("hello, this is not an image".utf8).write(to: URL(fileURLWithPath: textNamedPNG))
        #expect(throws: ImageFileError.notAnImage(textNamedPNG)) { try ImageFile.inspect(path: textNamedPNG) }
    }

    @Test func rejectsEachKindOfBadFile() throws {
        let missing = dir.file("missing.png")
        #expect(throws: ImageFileError.missing(missing)) { try ImageFile.inspect(path: missing) }

        let empty = dir.file("empty.png")
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        #expect(throws: ImageFileError.empty(empty)) { try ImageFile.inspect(path: empty) }

        #expect(throws: ImageFileError.directory(dir.path)) { try ImageFile.inspect(path: dir.path) }

        let truncated = dir.file("truncated.png")
        try ImageFixtures.png(seed: 2).dropLast(20).write(to: URL(fileURLWithPath: truncated))
        #expect(throws: ImageFileError.truncated(truncated, .png)) { try ImageFile.inspect(path: truncated) }

        let big = try ImageFixtures.writePNG(seed: 3, to: dir.url)
        let size = Int64(ImageFixtures.png(seed: 3).count)
        #expect(throws: ImageFileError.tooLarge(big, size: size, limit: 10)) { try ImageFile.inspect(path: big, maxBytes: 10) }

        let loop = dir.file("loop.png")
        try FileManager.default.createSymbolicLink(atPath: loop, withDestinationPath: loop)
        #expect(throws: ImageFileError.symlinkLoop(loop)) { try ImageFile.inspect(path: loop) }
    }

    // Root reads every file; BadInputTests covers unreadable input as an unprivileged user.
    @Test(.enabled(if: getuid() != 0, "running as root, which can read a file of mode 000"))
    func rejectsAnUnreadableFile() throws {
        let path = try ImageFixtures.writePNG(seed: 4, to: dir.url)
        chmod(path, 0)
        #expect(throws: ImageFileError.unreadable(path)) { try ImageFile.inspect(path: path) }
    }

    @Test func everyMessageNamesTheFile() {
        let errors: [ImageFileError] = [
            .missing("/x/a.png"), .unreadable("/x/a.png"), .directory("/x/a.png"), .notRegular("/x/a.png"),
            .symlinkLoop("/x/a.png"), .empty("/x/a.png"), .tooLarge("/x/a.png", size: 2, limit: 1),
            .notAnImage("/x/a.png"), .truncated("/x/a.png", .jpeg), .changedWhileReading("/x/a.png"),
        ]
        for error in errors { #expect(error.description.contains("/x/a.png")) }
    }

    @Test func modNamesAndImageIDs() {
        #expect(Identifiers.isValidModName("Krastorio2"))
        #expect(Identifiers.isValidModName("my-mod_2"))
        #expect(!Identifiers.isValidModName(""))
        #expect(!Identifiers.isValidModName("bad name"))
        #expect(!Identifiers.isValidModName("../etc"))
        #expect(!Identifiers.isValidModName(String(repeating: "a", count: 101)))
        #expect(Identifiers.normalizedImageID("FDC375D5CA3C263FEDAFB7EF143C82F9FB668472") == "fdc375d5ca3c263fedafb7ef143c82f9fb668472")
        #expect(Identifiers.normalizedImageID("fdc375d5") == nil)
        #expect(Identifiers.normalizedImageID("zdc375d5ca3c263fedafb7ef143c82f9fb668472") == nil)
    }
}

@Suite struct AbsolutePathTests {
    @Test(arguments: [
        "/a/b.png", "/a/./b.png", "/a/../b.png", "/a//b.png", "/a/b/", "/a/b/.", "/a/b/..", "/", "/...", "/a/.hidden.png",
        "/a/..b.png", "relative/c.png", "./d.png", "../e.png",
    ])
    func aPathIsMadeAbsoluteAndStandardLikeFoundationWouldWithoutItsCost(path: String) {
        let expected = (path.hasPrefix("/")
            ? URL(fileURLWithPath: path)
            : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(path)).standardizedFileURL.path
        #expect(ImageFile.absolute(path) == expected)
    }
}
