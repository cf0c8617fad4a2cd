import ModImgQueue

/// A JSON array printed as its elements come, a batch at a time, byte for byte as
/// `Terminal.printJSON` prints the whole array: the pretty-printed encoding of a batch is the
/// array's opening line, its elements joined by `,` and a line break, and its closing line.
struct StreamingJSONArray<Element: Encodable> {
    private var printed = false

    mutating func print(_ elements: [Element]) throws {
        guard !elements.isEmpty else { return }
        let encoded = String(decoding: try QueueJSON.encode(elements), as: UTF8.self)
        // "[\n" + elements + "\n]"
        let inner = encoded.dropFirst(2).dropLast(2)
        Swift.print(printed ? ",\n" : "[\n", inner, separator: "", terminator: "")
        printed = true
    }

    /// Closes the array (an empty one if nothing came).
    func finish() throws {
        if printed { Swift.print("\n]") } else { try Terminal.printJSON([Element]()) }
    }
}
