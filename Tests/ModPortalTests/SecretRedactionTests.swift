import Foundation
import ModPortalSim
import TestSupport
import Testing

@testable import ModPortal

/// Whatever an answer echoes of the request's credentials, no text the client makes of it holds them.
@Suite struct SecretRedactionTests {
    static let key = "Zk3y-0123456789abcdef-SECRET"

    @Test func aBearerTokenAndAnAuthorizationHeaderValueAreRedactedWithoutTheKeyBeingKnown() {
        #expect(
            PortalText.sanitized("Malformed header: Authorization: Bearer abc.DEF-123") == "Malformed header: Authorization: [redacted]")
        #expect(PortalText.sanitized("token was bearer\tabc123; try again") == "token was bearer [redacted]; try again")
        #expect(
            PortalText.sanitized("bad header\r\nauthorization=Basic dXNlcjpwYXNz\r\nnext line")
                == "bad header authorization=[redacted] next line")
        #expect(
            PortalText.sanitized("<html><title>Authorization: Token xyz</title></html>")
                == "an HTML page titled \"Authorization: [redacted]\"")
        // Apart only because of a line break: still a token after `Bearer` once on one line.
        #expect(PortalText.sanitized("Bearer\nabc123") == "Bearer [redacted]")
        #expect(
            PortalText.sanitized("Missing or invalid API key for the current endpoint")
                == "Missing or invalid API key for the current endpoint")
    }

    @Test func theKeyInUseIsRedactedBeforeTheTextIsCutToLength() {
        let text = String(repeating: "x", count: 190) + " key " + Self.key + " was refused"
        let shown = PortalText.sanitized(text, redacting: [Self.key])
        #expect(!shown.contains(Self.key.prefix(4)), "\(shown)")
        #expect(PortalText.sanitized("your key \(Self.key) is wrong", redacting: [Self.key]) == "your key [redacted] is wrong")
    }

    @Test func anAddAnsweredWithTheAuthorizationHeaderEchoedLeavesNoKeyInTheError() async throws {
        try await withSimulator({
            $0.apiKey = Self.key
            $0.tricks.echoAuthorization = true
        }) { sim, url in
            let client = HTTPPortalClient(baseURL: url, apiKey: APIKey(Self.key))
            defer { Task { await client.shutdown() } }
            let error = try await #require(throws: PortalError.self) { try await client.add(mod: "m") }
            #expect(!error.description.contains(Self.key), "\(error)")
            #expect(error.description.contains("Malformed header: Authorization: [redacted]"), "\(error)")
            #expect(sim.state().tricks["echo-key"] == 1)
        }
    }

    @Test func errorBodiesNamingTheKeyInAnyFieldLeaveNoKeyInTheError() async throws {
        let bodies = [
            (400, #"{"error":"InvalidRequest","message":"key \#(Self.key) is not valid here"}"#),
            (401, #"{"error":"\#(Self.key)","message":"x"}"#),
            (500, "<html><head><title>error for \(Self.key)</title></head></html>"),
            (418, "teapot says \(Self.key)"),
            (200, #"{"unexpected":"\#(Self.key)"}"#),
        ]
        for (status, body) in bodies {
            try await withSimulator({ $0.apiKey = Self.key }) { sim, url in
                let client = HTTPPortalClient(baseURL: url, apiKey: APIKey(Self.key))
                defer { Task { await client.shutdown() } }
                sim.injectResponse(for: .add, CannedResponse(status: status, body: body))
                let error = try await #require(throws: PortalError.self) { try await client.add(mod: "m") }
                #expect(!error.description.contains(Self.key), "\(status): \(error)")
                #expect(error.description.contains("[redacted]"), "\(status): \(error)")
            }
        }
    }

    @Test func anUploadURLCarryingTheKeyIsNeverReturnedWithIt() async throws {
        try await withSimulator({ $0.apiKey = Self.key }) { sim, url in
            let client = HTTPPortalClient(baseURL: url, apiKey: APIKey(Self.key))
            defer { Task { await client.shutdown() } }
            sim.injectResponse(
                for: .add, CannedResponse(status: 200, body: #"{"upload_url":"\#(url.absoluteString)/upload/\#(Self.key)"}"#))
            do {
                let uploadURL = try await client.add(mod: "m")
                #expect(!uploadURL.absoluteString.contains(Self.key), "\(uploadURL)")
            } catch {
                #expect(!"\(error)".contains(Self.key), "\(error)")
            }
        }
    }
}
