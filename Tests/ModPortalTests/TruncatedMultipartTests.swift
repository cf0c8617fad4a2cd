import Foundation
import TestSupport
import Testing

@testable import ModPortal
@testable import ModPortalSim
import FormData

/// What a cut-off upload leaves the simulator: a body that ends anywhere before the file's last
/// byte and the closing boundary (where `MultipartFileStream` stops when the bytes changed) is
/// refused by its parser; only the whole body yields the image.
@Suite struct TruncatedMultipartTests {
    @Test func aBodyCutBeforeItsClosingBoundaryNeverParses() throws {
        let form = MultipartForm()
        let image = ImageFixtures.png(seed: 41)
        let prefix = form.filePrefix(field: "image", fileName: "a.png", contentType: "image/png")
        let boundary = try #require(MultipartParser.boundary(contentType: form.contentType))
        let whole = prefix + image + form.fileSuffix
        let parts = try whole.withUnsafeBytes { try MultipartParser.parse($0, boundary: boundary) }
        let part = try #require(parts.first { $0.name == "image" })
        #expect(whole.subdata(in: part.range) == image)
        for length in 0..<(prefix.count + image.count) {
            let cut = whole.prefix(length)
            #expect(throws: MultipartError.self, "a body cut at \(length) bytes parsed") {
                try cut.withUnsafeBytes { try MultipartParser.parse($0, boundary: boundary) }
            }
        }
    }
}
