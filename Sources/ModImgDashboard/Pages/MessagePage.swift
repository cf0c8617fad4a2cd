/// A short page for what is not there.
enum MessagePage {
    static func notFound(_ message: String) -> HTML {
        Layout.page(title: "not found", heading: "not found", live: false, "<h1>Not found</h1><p>\(message)</p>")
    }
}
