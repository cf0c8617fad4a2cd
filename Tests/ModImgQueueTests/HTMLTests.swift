import ModImgQueue
import Testing

/// The HTML builder escapes every string that goes into it, and only strings.
@Suite struct HTMLTests {
    @Test func interpolatedTextIsEscapedAndMarkupIsNot() {
        let name = "<img src=x onerror=\"alert('1')\"> & co"
        let inner: HTML = "<b>\(name)</b>"
        let page: HTML = "<p title=\"\(name)\">\(inner)</p>"
        let escaped = "&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt; &amp; co"
        #expect(page.rendered == "<p title=\"\(escaped)\"><b>\(escaped)</b></p>")
        #expect(HTML(text: "a<b").rendered == "a&lt;b")
    }
}
