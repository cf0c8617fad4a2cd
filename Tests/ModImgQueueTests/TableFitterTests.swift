import ModImgQueue
import Testing

/// The one rule `status`, `history` and `jobs` fit a table to a terminal with: what gives way
/// first, what is never cut, and that a pipe gets whole rows.
@Suite struct TableFitterTests {
    static let status = [
        TableColumn("MOD", .name), TableColumn("QUEUED", .count), TableColumn("WAITING", .count), TableColumn("ADDED", .count),
        TableColumn("DONE", .count), TableColumn("FAILED", .count), TableColumn("CANCELLED", .count),
        TableColumn("NEXT RETRY", .text), TableColumn("LAST ERROR", .text),
    ]
    static let history = [
        TableColumn("ID", .name), TableColumn("UPLOADED", .text), TableColumn("JOB", .count), TableColumn("FILE", .path),
        TableColumn("URL", .url), TableColumn("THUMBNAIL", .url),
    ]
    static let cause = "Forbidden: add: Insufficent permission for current endpoint"

    func render(_ columns: [TableColumn], _ rows: [[String]], width: Int?) -> [String] {
        let layout = TableFitter.layout(columns, rows: rows, maxWidth: width)
        return layout.header + rows.flatMap(layout.lines)
    }

    @Test func atEightyColumnsAllZeroColumnsGiveWayAndModNamesAndTheRootCauseStayWhole() {
        let rows = [
            ["alt-mod", "3", "0", "0", "12", "2", "0", "-", Self.cause],
            ["clock-display", "0", "0", "1", "40", "0", "0", "16:36:42", "-"],
        ]
        let lines = render(Self.status, rows, width: 80)
        #expect(lines.allSatisfy { $0.count <= 80 }, "\(lines)")
        #expect(lines[0].hasPrefix("MOD ") && !lines[0].contains("WAITING") && !lines[0].contains("CANCELLED"), "\(lines)")
        #expect(lines[0].contains("QUEUED") && lines[0].contains("NEXT RETRY"), "columns holding something stay: \(lines)")
        #expect(lines[1].hasPrefix("alt-mod ") && lines.last!.hasPrefix("clock-display "), "\(lines)")
        let words = lines.dropFirst().dropLast().flatMap { $0.split(separator: " ") }
        #expect(words.suffix(7).joined(separator: " ") == Self.cause, "the cause is whole: \(lines)")
        #expect(!lines.joined().contains("…"))
    }

    @Test func aRootCauseWithoutRoomWrapsUnderItsColumnOrTakesALineOfItsOwn() {
        let rows = [
            ["alt-mod-with-a-long-name", "3", "0", "0", "12", "2", "0", "-", Self.cause],
            ["clock-display-extended", "0", "0", "1", "40", "0", "0", "16:36:42", "-"],
        ]
        let wrapped = render(Self.status, rows, width: 100)
        #expect(wrapped.allSatisfy { $0.count <= 100 }, "\(wrapped)")
        let column = wrapped[0].count - "LAST ERROR".count
        #expect(wrapped[0].hasSuffix("LAST ERROR") && wrapped[2].prefix(column).allSatisfy { $0 == " " }, "\(wrapped)")
        let cause = String(wrapped[1].dropFirst(column)) + " " + wrapped[2].dropFirst(column)
        #expect(cause == Self.cause, "every word is there: \(wrapped)")
        #expect(wrapped[1].hasPrefix("alt-mod-with-a-long-name ") && wrapped[3].hasPrefix("clock-display-extended "), "\(wrapped)")

        let below = render(Self.status, rows, width: 80)
        #expect(below.allSatisfy { $0.count <= 80 }, "\(below)")
        #expect(!below[0].contains("LAST ERROR") && below[1].hasPrefix("alt-mod-with-a-long-name "), "\(below)")
        #expect(below[2] == "    last error: \(Self.cause)", "\(below)")
        #expect(below[3].hasPrefix("clock-display-extended ") && below.count == 4, "a row with no error gets no line: \(below)")
        #expect(!below.joined().contains("…"))
    }

    @Test func pathsAreShortenedFromTheLeftKeepingTheFileNameBeforeAnAddressIsTouched() {
        let url = "http://127.0.0.1:8080/assets/0123456789abcdef.png"
        let rows = [["a1b2c3", "16:36:42", "7", "/home/someone/factorio/screenshots/round2/ore-extra.png", url, "-"]]
        let lines = render(Self.history, rows, width: 100)
        #expect(lines.allSatisfy { $0.count <= 100 }, "\(lines)")
        #expect(lines[1].contains(url), "the address is whole while shortening the path is enough: \(lines)")
        #expect(lines[1].contains("…/round2/ore-extra.png") || lines[1].contains("…/screenshots/round2/ore-extra.png"), "\(lines)")
        #expect(!lines[0].contains("THUMBNAIL"), "an empty column goes first: \(lines)")
    }

    @Test func addressesAreShortenedAfterPathsThenLeftOutWithANoteSayingSo() {
        let id = String(repeating: "ab", count: 20)
        let rows = [
            [id, "2026-11-26 16:36:42", "12", "/home/someone/factorio/screenshots/round2/ore-extra.png",
             "http://127.0.0.1:8080/assets/\(id).png", "http://127.0.0.1:8080/assets/\(id).thumb.png"],
        ]
        // Paths first, to `…/` and the file name; then the widest address, keeping its start and end.
        let medium = render(Self.history, rows, width: 225)
        #expect(medium.allSatisfy { $0.count <= 225 }, "\(medium)")
        #expect(medium[1].contains("  …/ore-extra.png  http://127.0.0.1:8080/…/\(id).png  "), "\(medium)")
        #expect(medium[1].hasSuffix("…/\(id).thumb.png") && medium[1].contains("  http://127.0.0.1:…"), "\(medium)")
        let layout = TableFitter.layout(Self.history, rows: rows, maxWidth: 80)
        let narrow = layout.header + rows.flatMap(layout.lines)
        #expect(narrow.allSatisfy { $0.count <= 80 }, "\(narrow)")
        #expect(narrow[1].hasPrefix(id + " ") && narrow[1].contains("2026-11-26 16:36:42"), "names and times are never cut: \(narrow)")
        #expect(narrow[1].hasSuffix("extra.png"), "\(narrow)")
        #expect(!narrow[0].contains("URL") && !narrow[0].contains("THUMBNAIL"), "\(narrow)")
        #expect(layout.note(width: 80, wholeWith: "--wide") == "URL and THUMBNAIL left out to fit 80 columns; --wide shows them.")
    }

    @Test func withoutAWidthEveryRowIsWhole() {
        let rows = [["alt-mod", "0", "0", "0", "0", "1", "0", "-", Self.cause + " " + String(repeating: "x", count: 200)]]
        let lines = render(Self.status, rows, width: nil)
        #expect(lines.count == 2)
        #expect(lines[0].contains("WAITING") && lines[1].hasSuffix(String(repeating: "x", count: 200)))
        #expect(TableFitter.layout(Self.status, rows: rows, maxWidth: nil).note(width: 80, wholeWith: "--wide") == nil)
    }

    @Test func aLaterRowHoldingSomethingInAColumnDroppedAsEmptyShowsItOnALineOfItsOwn() {
        let columns = [
            TableColumn("ID", .name), TableColumn("MOD", .name), TableColumn("ATTEMPTS", .count),
            TableColumn("FILE", .path), TableColumn("NEXT ATTEMPT", .text), TableColumn("LAST ERROR", .text),
        ]
        let first = [["9", "some-mod", "0", "/a/very/long/folder/name/for/the/screenshots/of/the/mod/01.png", "-", "-"]]
        let layout = TableFitter.layout(columns, rows: first, maxWidth: 60)
        #expect(!layout.header[0].contains("ATTEMPTS") && !layout.header[0].contains("LAST ERROR"), "\(layout.header)")
        let later = layout.lines(["3", "some-mod", "2", "/x/02.png", "-", "HTTP503: the portal is busy"])
        #expect(later.count == 3, "\(later)")
        #expect(later.contains("    attempts: 2") && later.contains("    last error: HTTP503: the portal is busy"), "\(later)")
    }
}

@Suite struct CellShorteningTests {
    @Test(arguments: [
        ("/home/someone/shots/round2/ore-extra.png", 22, "…/round2/ore-extra.png"),
        ("/home/someone/shots/round2/ore-extra.png", 20, "…/ore-extra.png"),
        ("/home/someone/shots/round2/ore-extra.png", 10, "…extra.png"),
        ("/short.png", 20, "/short.png"),
    ])
    func aPathKeepsItsEndCutAtASeparator(path: String, width: Int, shown: String) {
        #expect(CellShortening.path(path, to: width) == shown)
    }

    @Test func anAddressKeepsItsStartAndItsLastPart() {
        let url = "http://127.0.0.1:8080/assets/images/0123456789abcdef.png"
        #expect(CellShortening.url(url, to: 50) == "http://127.0.0.1:8080/…/0123456789abcdef.png")
        #expect(CellShortening.url(url, to: 40) == "http://127.0.0.1:8…/0123456789abcdef.png")
        #expect(CellShortening.url(url, to: 20) == "…123456789abcdef.png", "with no room for the start, the end as a path's")
    }
}

@Suite struct TextWrappingTests {
    @Test func aLongLineWrapsAtSpacesIndentedAndLosesNoWord() {
        let advice = "    next: this key may not change helmod-themes: use a key of its owner or of a collaborator, then modimg-queue retry --failed --mod helmod-themes"
        let lines = TextWrapping.lines(advice, width: 80, indent: 10)
        #expect(lines.count == 2, "\(lines)")
        #expect(lines.allSatisfy { $0.count <= 80 }, "\(lines)")
        #expect(lines[0].hasPrefix("    next: this key") && lines[1].hasPrefix(String(repeating: " ", count: 10)) && lines[1].dropFirst(10).first != " ")
        #expect(lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ") == advice.trimmingCharacters(in: .whitespaces))
    }

    @Test func aWordLongerThanTheWidthKeepsALineOfItsOwnWhole() {
        let url = "http://example.com/" + String(repeating: "a", count: 50)
        #expect(TextWrapping.lines("see \(url) now", width: 30, indent: 2) == ["see", "  \(url)", "  now"])
    }
}
