import Foundation
import Testing

@testable import ModPortal

@Suite struct ResponseDecodingTests {
    func decodeAdd(_ status: Int, _ body: String, retryAfter: String? = nil) -> Result<String, PortalError> {
        do throws(PortalError) {
            let add = try ResponseDecoding.decode(
                ResponseDecoding.AddBody.self, status: status, retryAfterHeader: retryAfter, body: Data(body.utf8))
            return .success(add.upload_url)
        } catch {
            return .failure(error)
        }
    }

    @Test(arguments: PortalErrorCode.allCases)
    func everyErrorCodeOfTheAPIPageIsRecognised(code: PortalErrorCode) {
        let result = decodeAdd(400, #"{"error":"\#(code.rawValue)","message":"details"}"#)
        guard case .failure(let error) = result else {
            Issue.record("decoded an error body as success")
            return
        }
        #expect(error.apiCode == code)
        #expect(error.message == "details")
    }

    @Test func anErrorBodyWinsEvenWithStatus200() {
        #expect(decodeAdd(200, #"{"error":"InternalError"}"#) == .failure(.api(code: "InternalError", message: "", httpStatus: 200, retryAfter: nil)))
    }

    @Test func successDecodes() {
        #expect(decodeAdd(200, #"{"upload_url":"https://mods.factorio.com/u/1"}"#) == .success("https://mods.factorio.com/u/1"))
    }

    @Test func oddAnswersAreClassified() {
        #expect(decodeAdd(429, "Too Many", retryAfter: "7") == .failure(.rateLimited(httpStatus: 429, retryAfter: 7)))
        guard case .failure(.server(503, nil, let snippet)) = decodeAdd(503, "<html><h1>Service Unavailable</h1></html>") else {
            Issue.record("an HTML 503 was not a server error")
            return
        }
        #expect(snippet.contains("Service Unavailable"))
        guard case .failure(.malformedResponse(200, _)) = decodeAdd(200, #"{"upload_url": "https://mo"#) else {
            Issue.record("truncated JSON was not malformed")
            return
        }
        guard case .failure(.malformedResponse(200, let detail)) = decodeAdd(200, "") else {
            Issue.record("an empty body was not malformed")
            return
        }
        #expect(detail.contains("empty"))
        guard case .failure(.malformedResponse(200, _)) = decodeAdd(200, #"{"images":[]}"#) else {
            Issue.record("the wrong JSON shape was not malformed")
            return
        }
        guard case .failure(.malformedResponse(200, _)) = decodeAdd(200, "<!DOCTYPE html><html></html>") else {
            Issue.record("an HTML 200 was not malformed")
            return
        }
    }

    @Test func retryAfterIsReadAsSecondsOrAnHTTPDate() throws {
        #expect(ResponseDecoding.parseRetryAfter("120") == 120)
        #expect(ResponseDecoding.parseRetryAfter("nonsense") == nil)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let inAMinute = formatter.string(from: Date().addingTimeInterval(60))
        let seconds = try #require(ResponseDecoding.parseRetryAfter(inAMinute))
        #expect(seconds > 50 && seconds <= 60)
    }

    @Test(arguments: ["inf", "1e300", "1e19", "-5", "NaN", "nan", "+5", "5.5", "0x10", "soon", "", " ", "١٢"])
    func aRetryAfterThatIsNeitherDigitsNorAnHTTPDateIsNoValue(header: String) {
        #expect(ResponseDecoding.parseRetryAfter(header) == nil)
        #expect(decodeAdd(429, "", retryAfter: header) == .failure(.rateLimited(httpStatus: 429, retryAfter: nil)))
    }

    @Test func aHugeDelayInDigitsIsReadAsVeryLongForTheCallerToCap() {
        #expect(ResponseDecoding.parseRetryAfter("99999999") == 99_999_999)
        #expect(ResponseDecoding.parseRetryAfter("99999999999999999999999") == 1e9)
        let message = PortalError.rateLimited(httpStatus: 429, retryAfter: 1e300).message
        #expect(message == "rate limited by the portal")
    }

    @Test func onlyThePortalsJSONNotFoundMeansTheModDoesNotExist() throws {
        func listing(_ status: Int, _ body: String) -> Result<[PortalImage], PortalError> {
            Result { () throws(PortalError) in
                try ResponseDecoding.decodeListing(status: status, retryAfterHeader: nil, body: Data(body.utf8))
            }
        }
        guard case .failure(.api("UnknownMod", _, 404, nil)) = listing(404, #"{"message":"Mod not found"}"#) else {
            Issue.record("the portal's JSON 404 is UnknownMod")
            return
        }
        let html = listing(404, "<html><head><title>404 Not Found</title></head><body>nginx</body></html>")
        // A server error, which the worker retries (FailureDisposition: `.server` is transient).
        guard case .failure(.server(404, nil, _)) = html else {
            Issue.record("an HTML 404 from the listing must be transient, got \(html)")
            return
        }
        #expect(try listing(200, #"{"images":[{"id":"ABCDEF","url":"u","thumbnail":"t"}]}"#).get().map(\.id) == ["abcdef"])
    }

    @Test func theKeyNeverPrints() throws {
        let key = try #require(APIKey("super-secret-123"))
        #expect("\(key)" == "<redacted>")
        #expect(String(reflecting: key) == "<redacted>")
        #expect(APIKey("   ") == nil)
    }

    @Test func aPastedKeyIsTrimmedAndOneWithInnerSpacesOrControlsRefused() throws {
        #expect(try #require(APIKey("  abc123\n")).bearerHeader == "Bearer abc123")
        #expect(try #require(APIKey("\tabc123 \r\n")).bearerHeader == "Bearer abc123")
        #expect(APIKey.problem(in: "abc 123") == .innerWhitespaceOrControl)
        #expect(APIKey.problem(in: "abc\u{1B}[31m") == .innerWhitespaceOrControl)
        #expect(APIKey.problem(in: " \n") == .empty)
        #expect(APIKey("abc 123") == nil)
    }
}

@Suite struct UploadURLPolicyTests {
    let policy = UploadURLPolicy(portalBaseURL: URL(string: "http://127.0.0.1:8080")!)

    @Test func acceptsThePortalsOwnOriginAndFactorioHTTPSHosts() {
        #expect(policy.allows(URL(string: "http://127.0.0.1:8080/api/v2/mods/images/upload/x")!))
        #expect(policy.allows(URL(string: "https://mods.factorio.com/upload/x")!))
        #expect(policy.allows(URL(string: "https://factorio.com/upload/x")!))
    }

    @Test func refusesEverythingElse() {
        #expect(!policy.allows(URL(string: "http://127.0.0.1:9090/upload")!))
        #expect(!policy.allows(URL(string: "https://127.0.0.1:8080/upload")!))
        #expect(!policy.allows(URL(string: "http://mods.factorio.com/upload")!))
        #expect(!policy.allows(URL(string: "https://evilfactorio.com/upload")!))
        #expect(!policy.allows(URL(string: "https://factorio.com.evil.example/upload")!))
        #expect(!policy.allows(URL(string: "ftp://mods.factorio.com/upload")!))
    }
}
