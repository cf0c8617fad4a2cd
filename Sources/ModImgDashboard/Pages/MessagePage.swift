import ModImgQueue
/// A short page for what is not there.
enum MessagePage {
    static func notFound(_ message: String) -> HTML { self.message("Not found", message) }

    static func message(_ title: String, _ message: String) -> HTML {
        Layout.page(title: title.lowercased(), heading: HTML(text: title.lowercased()), live: false, "<h1>\(title)</h1><p>\(message)</p>")
    }
}
