import AsyncHTTPClient
import Foundation
import ModImgQueue
import NIOCore
import TestSupport
import Testing

/// `/events` of a running `serve` reports a change another process made to the database.
@Suite(.serialized) struct LiveUpdateTests {
    @Test func aJobFinishingInAnotherProcessSendsAnEvent() async throws {
        try await withSimulator { _, simulator in
            let dir = try TemporaryDirectory("dashboard-live")
            let db = dir.file("queue.sqlite3")
            let file = try ImageFixtures.writePNG(seed: 77, to: dir.url)
            let queue = try QueueDatabase.open(path: db)
            _ = try await Enqueuer(database: queue).enqueueUploads(mod: "live", paths: [file])
            let serve = try ServeProcess(db: db)
            defer { serve.stop() }
            let url = try #require(URL(string: serve.url + "events"), "serve printed \(serve.url); stderr: \(serve.stderr)")

            let cookie = try await serve.signIn()
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            var received = ""
            do {
                var request = HTTPClientRequest(url: url.absoluteString)
                request.headers.add(name: "Cookie", value: cookie)
                let response = try await client.execute(request, timeout: .seconds(60))
                #expect(response.status == .ok)
                #expect(response.headers.first(name: "content-type") == "text/event-stream; charset=utf-8")
                var body = response.body.makeAsyncIterator()
                // Subscribed once the stream opens: only then does another process finish the job.
                while !received.contains(": connected\n\n") {
                    guard let chunk = try await body.next() else { break }
                    received += String(buffer: chunk)
                }
                #expect(!received.contains("event: change"), "no change before the work")
                let work = try await CommandRunner.run(
                    Binaries.modimgQueue, ["work", "--db", db, "--rate", "100/s", "--no-progress"],
                    environment: ["MOD_EDIT_API_KEY": SimDefaults.apiKey, "MODIMG_PORTAL_URL": simulator.absoluteString])
                #expect(work.status == 0, "\(work.stderr)")
                // The event must come; the request's 60 s timeout is only the bound for a test that fails.
                while !received.contains("event: change\ndata: ") {
                    guard let chunk = try await body.next() else { break }
                    received += String(buffer: chunk)
                }
                #expect(serve.stop() == 0, "serve stops cleanly on SIGTERM with a stream open; stderr: \(serve.stderr)")
            } catch {
                Issue.record("reading /events failed: \(error); received so far: \(received)")
            }
            try await client.shutdown()
            #expect(received.contains("event: change\ndata: "), "received: \(received)")
        }
    }
}
