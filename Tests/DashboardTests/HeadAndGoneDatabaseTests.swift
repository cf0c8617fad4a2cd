import AsyncHTTPClient
import Foundation
import ModImgQueue
import NIOCore
import TestSupport
import Testing

/// `serve` as a real process: `HEAD` answers as `GET` does, without the body; a database deleted
/// while it runs is said on the page and in its log, not an empty 500.
@Suite struct HeadAndGoneDatabaseTests {
    struct Answer {
        let status: UInt
        let contentType: String?
        let contentLength: String?
        let body: Data
    }

    enum Method { case get, head }

    func request(_ url: String, method: Method, cookie: String) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Cookie", value: cookie)
        request.method = method == .head ? .HEAD : .GET
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 16 << 20)
        return Answer(
            status: response.status.code, contentType: response.headers.first(name: "Content-Type"),
            contentLength: response.headers.first(name: "Content-Length"), body: Data(buffer: body))
    }

    /// A queue holding one upload of mod `m`: its path and the job's id.
    func queue() async throws -> (dir: TemporaryDirectory, path: String, job: Int64) {
        let dir = try TemporaryDirectory("serve-head")
        let path = dir.file("queue.sqlite3")
        let image = try ImageFixtures.writePNG(seed: 1, to: dir.url)
        let job = try await Enqueuer(database: try QueueDatabase.open(path: path)).enqueueUploads(mod: "m", paths: [image]).queued[0]
        return (dir, path, job)
    }

    @Test func headAnswersEveryPageAsGetWithoutTheBody() async throws {
        let (dir, path, job) = try await queue()
        defer { _ = dir }
        let ids = [job]
        let serve = try ServeProcess(db: path)
        defer { serve.stop() }
        let cookie = try await serve.signIn()
        for path in ["", "mods/m", "jobs/\(ids[0])", "api/status", "api/jobs", "files/\(ids[0])", "nothing", "jobs/999"] {
            let get = try await request(serve.url + path, method: .get, cookie: cookie)
            let head = try await request(serve.url + path, method: .head, cookie: cookie)
            #expect(head.status == get.status, "\(path)")
            #expect(head.contentType == get.contentType, "\(path)")
            #expect(head.contentLength == get.contentLength, "\(path)")
            #expect(get.contentLength == String(get.body.count), "\(path)")
        }
        #expect(try await request(serve.url + "", method: .head, cookie: cookie).status == 200)
        let events = try await request(serve.url + "events", method: .head, cookie: cookie)
        #expect(events.status == 200)
        #expect(events.contentType == "text/event-stream; charset=utf-8")
    }

    @Test func aDatabaseDeletedWhileServingIsSaidOnThePageAndInTheLog() async throws {
        let (dir, path, _) = try await queue()
        defer { _ = dir }
        let serve = try ServeProcess(db: path)
        let cookie = try await serve.signIn()
        #expect(try await request(serve.url, method: .get, cookie: cookie).status == 200)
        for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
        let sentence = QueueError.databaseReplaced(path).description
        let page = try await request(serve.url, method: .get, cookie: cookie)
        #expect(page.status == 503)
        #expect(page.contentType == "text/html; charset=utf-8")
        #expect(String(decoding: page.body, as: UTF8.self).contains(HTML.escape(sentence)), "\(String(decoding: page.body, as: UTF8.self))")
        let api = try await request(serve.url + "api/status", method: .get, cookie: cookie)
        #expect(api.status == 503)
        let json = try JSONSerialization.jsonObject(with: api.body) as? [String: String]
        #expect(json?["error"] == sentence)
        let mod = try await request(serve.url + "mods/m", method: .get, cookie: cookie)
        #expect(mod.status == 503)
        #expect(serve.stop() == 0)
        #expect(serve.stderr.contains(sentence), "\(serve.stderr)")
    }
}
