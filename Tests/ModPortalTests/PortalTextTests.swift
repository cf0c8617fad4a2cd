import Foundation
import Testing

@testable import ModPortal

/// What the portal says is made safe before it is shown or stored.
@Suite struct PortalTextTests {
    @Test func escapeSequencesAndControlCharactersAreRemoved() {
        #expect(PortalText.sanitized("bad \u{1B}[31mred\u{1B}[0m image") == "bad red image")
        #expect(PortalText.sanitized("title \u{1B}]0;owned\u{07}text") == "title text")
        #expect(PortalText.sanitized("osc \u{1B}]8;;http://x\u{1B}\\link") == "osc link")
        #expect(PortalText.sanitized("clear\u{1B}c screen") == "clear screen")
        #expect(PortalText.sanitized("a\u{9B}31mb\u{07}c\u{7F}d\u{0}e") == "a 31mb c d e")
        #expect(PortalText.sanitized("right\u{202E}txt.exe") == "right txt.exe")
    }

    @Test func itIsOneLineOfBoundedLength() {
        #expect(PortalText.sanitized("line one\nline two\r\n\tindented") == "line one line two indented")
        let long = PortalText.sanitized(String(repeating: "x", count: 500), limit: 50)
        #expect(long.count == 50)
        #expect(long.hasSuffix("…"))
    }

    @Test func anHTMLPageIsReducedToItsTitle() {
        let nginx = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>"
        #expect(PortalText.sanitized(nginx) == "an HTML page titled \"502 Bad Gateway\"")
        #expect(PortalText.sanitized("<!DOCTYPE html><html><body>no title</body></html>") == "an HTML page")
        #expect(PortalText.sanitized("<HTML><TITLE>\u{1B}[2JMaintenance</TITLE></HTML>") == "an HTML page titled \"Maintenance\"")
    }

    @Test func portalAnswersAreSanitisedWhenTheyAreDecoded() {
        let html = Data("<html><head><title>503 Service Temporarily Unavailable</title></head><body>…</body></html>".utf8)
        let server = Result { () throws(PortalError) in
            try ResponseDecoding.decode(ResponseDecoding.AddBody.self, status: 503, retryAfterHeader: nil, body: html)
        }.map(\.upload_url)
        #expect(server == .failure(.server(httpStatus: 503, retryAfter: nil, snippet: "an HTML page titled \"503 Service Temporarily Unavailable\"")))
        let hostile = Data(#"{"error":"InvalidImageUpload","message":"bad\u001b[2J\nimage"}"#.utf8)
        let api = Result { () throws(PortalError) in
            try ResponseDecoding.decode(ResponseDecoding.AddBody.self, status: 400, retryAfterHeader: nil, body: hostile)
        }.map(\.upload_url)
        #expect(api == .failure(.api(code: "InvalidImageUpload", message: "bad image", httpStatus: 400, retryAfter: nil)))
        let image = PortalImage(id: "ABC\u{1B}[1m", url: "https://x/a.png\u{1B}]0;t\u{07}", thumbnail: "t\nu")
        #expect(image == PortalImage(id: "abc", url: "https://x/a.png", thumbnail: "t u"))
    }
}
