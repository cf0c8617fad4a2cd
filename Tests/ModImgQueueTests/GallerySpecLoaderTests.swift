import Foundation
import TestSupport
import Testing

@testable import ModImgQueue

@Suite struct GallerySpecLoaderTests {
    let dir: TemporaryDirectory

    init() throws {
        dir = try TemporaryDirectory("specs")
    }

    func write(_ text: String, to name: String) throws -> String {
        let path = dir.file(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func aFolderOfModFoldersListsImagesInFileNameOrder() throws {
        let tree = dir.url.appendingPathComponent("tree")
        for mod in ["b-mod", "a-mod"] {
            let folder = tree.appendingPathComponent(mod)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for name in ["2.png", "10.jpg", "1.gif", "notes.txt", ".hidden.png"] {
                try Data("x".utf8).write(to: folder.appendingPathComponent(name))
            }
        }
        try Data("x".utf8).write(to: tree.appendingPathComponent("stray.png"))
        let specs = try GallerySpecLoader.load(path: tree.path)
        #expect(specs.map(\.mod) == ["a-mod", "b-mod"])
        #expect(specs[0].imagePaths.map { ($0 as NSString).lastPathComponent } == ["1.gif", "10.jpg", "2.png"])
        #expect(specs.allSatisfy { !$0.prune })
    }

    @Test func aFolderNamesEveryFileItLeavesOutWithItsReason() throws {
        let tree = dir.url.appendingPathComponent("tree")
        let mod = tree.appendingPathComponent("a-mod")
        try FileManager.default.createDirectory(at: mod.appendingPathComponent("round2"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: tree.appendingPathComponent("drafts"), withIntermediateDirectories: true)
        for name in ["1.png", "2.webp", "3.png.bak", ".DS_Store"] { try Data("x".utf8).write(to: mod.appendingPathComponent(name)) }
        try Data("x".utf8).write(to: tree.appendingPathComponent("drafts/notes.txt"))
        try Data("x".utf8).write(to: tree.appendingPathComponent("README.txt"))
        let source = try GallerySpecLoader.read(path: tree.path)
        #expect(source.specs.map(\.mod) == ["a-mod"])
        #expect(source.specs[0].leftOut == [
            LeftOutFile(path: mod.path + "/2.webp", reason: .notAnImage),
            LeftOutFile(path: mod.path + "/3.png.bak", reason: .notAnImage),
            LeftOutFile(path: mod.path + "/round2", reason: .folder),
        ])
        #expect(source.leftOut == [
            LeftOutFile(path: tree.path + "/README.txt", reason: .outsideModFolder),
            LeftOutFile(path: tree.path + "/drafts", reason: .noImages),
            LeftOutFile(path: tree.path + "/drafts/notes.txt", reason: .notAnImage),
        ])
    }

    @Test func tomlAndJSONManifestsSayTheSameThing() throws {
        let toml = try write(
            """
            # my galleries
            [[mod]]
            name = "alpha"
            prune = true
            images = ["shots/a.png", "/abs/b.png"]

            [[mod]]
            name = "beta"
            images = ["c.png"]
            """, to: "m.toml")
        let json = try write(
            #"{"mods": [{"name": "alpha", "prune": true, "images": ["shots/a.png", "/abs/b.png"]}, {"name": "beta", "images": ["c.png"]}]}"#,
            to: "m.json")
        let expected = [
            GallerySpec(mod: "alpha", imagePaths: [dir.file("shots/a.png"), "/abs/b.png"], prune: true),
            GallerySpec(mod: "beta", imagePaths: [dir.file("c.png")], prune: false),
        ]
        #expect(try GallerySpecLoader.load(path: toml) == expected)
        #expect(try GallerySpecLoader.load(path: json) == expected)
    }

    @Test func syntaxErrorsNameTheLine() throws {
        let toml = try write("[[mod]]\nname = \"alpha\"\nimages = [\"a.png\"\n", to: "bad.toml")
        do {
            _ = try GallerySpecLoader.load(path: toml)
            Issue.record("malformed TOML was accepted")
        } catch {
            guard case .syntax(_, let line, _, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(line != nil)
            #expect(error.description.contains("line"))
        }
        let json = try write("{\"mods\": [\n  {\"name\": \"a\",\n   \"images\": [\"x.png\",]\n}", to: "bad.json")
        do {
            _ = try GallerySpecLoader.load(path: json)
            Issue.record("malformed JSON was accepted")
        } catch {
            guard case .syntax = error else {
                Issue.record("unexpected \(error)")
                return
            }
        }
    }

    @Test(arguments: [
        (#"{"mods": [{"images": ["a.png"]}]}"#, "mods[0].name"),
        (#"{"mods": [{"name": "a", "prune": "yes", "images": ["a.png"]}]}"#, "mods[0].prune"),
        (#"{"mods": [{"name": "a", "images": []}]}"#, "mods[0].images"),
        (#"{"mods": [{"name": "a", "images": [3]}]}"#, "mods[0].images[0]"),
        (#"{"mods": [{"name": "bad name", "images": ["a.png"]}]}"#, "mods[0].name"),
        (#"{"mods": [{"name": "a", "colour": "red", "images": ["a.png"]}]}"#, "mods[0].colour"),
        (#"{"mod": []}"#, "mods"),
    ])
    func fieldErrorsNameTheField(json: String, field: String) throws {
        let path = try write(json, to: "fields.json")
        do {
            _ = try GallerySpecLoader.load(path: path)
            Issue.record("accepted \(json)")
        } catch {
            guard case .field(_, let named, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(named == field)
            #expect(error.description.contains(field))
        }
    }

    @Test func tomlFieldErrorsAndDuplicatesToo() throws {
        let typo = try write("[[mod]]\nname = \"a\"\nprune = 1\nimages = [\"a.png\"]\n", to: "typo.toml")
        #expect(throws: GallerySpecError.field(file: typo, path: "mod[0].prune", detail: "must be true or false")) {
            try GallerySpecLoader.load(path: typo)
        }
        let twice = try write("[[mod]]\nname = \"a\"\nimages = [\"a.png\"]\n[[mod]]\nname = \"a\"\nimages = [\"b.png\"]\n", to: "twice.toml")
        #expect(throws: GallerySpecError.duplicateMod(file: twice, mod: "a")) { try GallerySpecLoader.load(path: twice) }
    }

    @Test func otherPathsAreRefused() throws {
        #expect(throws: GallerySpecError.notFound(dir.file("nope"))) { try GallerySpecLoader.load(path: dir.file("nope")) }
        let yaml = try write("mods: []", to: "m.yaml")
        #expect(throws: GallerySpecError.unsupportedManifest(yaml)) { try GallerySpecLoader.load(path: yaml) }
        #expect(throws: GallerySpecError.emptyFolder(dir.path)) { try GallerySpecLoader.load(path: dir.path) }
    }
}
