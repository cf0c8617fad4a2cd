import ModPortal
import Testing

@testable import ModImgQueue

@Suite struct FailureDispositionTests {
    @Test(arguments: [
        ("InvalidApiKey", FailureDisposition.stopWorker),
        ("InvalidRequest", .fail),
        ("InternalError", .retry),
        ("Forbidden", .fail),
        ("Unknown", .retry),
        ("InvalidImageUpload", .fail),
        ("UnknownMod", .fail),
    ])
    func everyCodeOfTheAPIPageHasADisposition(code: String, expected: FailureDisposition) {
        #expect(FailureDisposition.of(.api(code: code, message: "m", httpStatus: 400, retryAfter: nil)) == expected)
    }

    @Test func transportServerRateLimitAndOddAnswersAreRetried() {
        #expect(FailureDisposition.of(.transport("reset")) == .retry)
        #expect(FailureDisposition.of(.server(httpStatus: 502, retryAfter: nil, snippet: "<html>")) == .retry)
        #expect(FailureDisposition.of(.rateLimited(httpStatus: 429, retryAfter: 3)) == .retry)
        #expect(FailureDisposition.of(.malformedResponse(httpStatus: 200, detail: "truncated")) == .retry)
    }

    @Test func missingKeyStopsAndForeignUploadURLFails() {
        #expect(FailureDisposition.of(.missingApiKey) == .stopWorker)
        #expect(FailureDisposition.of(.foreignUploadURL("evil.example")) == .fail)
    }

    @Test func unlistedCodesFollowTheHTTPStatus() {
        #expect(FailureDisposition.of(.api(code: "Novel", message: "", httpStatus: 503, retryAfter: nil)) == .retry)
        #expect(FailureDisposition.of(.api(code: "Novel", message: "", httpStatus: 400, retryAfter: nil)) == .fail)
    }
}
