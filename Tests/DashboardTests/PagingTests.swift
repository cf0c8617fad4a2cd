import Foundation
import Hummingbird
import HummingbirdTesting
@testable import ModImgDashboard
import ModImgQueue
import NIOCore
import TestSupport
import Testing

/// Lists come a page at a time: following the next links reaches every row exactly once, in
/// order; a limit has a default and a maximum; a bad cursor or limit is refused with one sentence.
@Suite(.serialized) struct PagingTests {
    /// Jobs of mod `many`: done uploads, each in the history and the gallery model.
    static let many = 130

    struct Answer {
        let status: HTTPResponse.Status
        let body: String
        let headers: HTTPFields
    }

    func withDashboard(extra: Int = 0, _ body: @escaping @Sendable (DashboardFixture, any TestClientProtocol) async throws -> Void)
        async throws
    {
        try await withSimulator(DashboardFixture.configure) { _, url in
            let fixture = try await DashboardFixture.make(simulatorURL: url)
            try Self.addJobs(fixture, mod: "many", count: Self.many, withImages: true)
            if extra > 0 { try Self.addJobs(fixture, mod: "extra", count: extra, withImages: false) }
            try await withSignedInDashboard(try fixture.dashboard()) { client in try await body(fixture, client) }
        }
    }

    static func addJobs(_ fixture: DashboardFixture, mod: String, count: Int, withImages: Bool) throws {
        try fixture.execute(
            """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
            INSERT INTO jobs (kind, mod, state, file_path, file_sha1, file_size, result_image_id, created_at, updated_at, finished_at)
            SELECT 'upload', ?, 'done', '/shots/' || ? || '-' || i || '.png', printf('%040x', i), 1, printf('%040x', i), i, i, i FROM n
            """, [count, mod, mod])
        guard withImages else { return }
        try fixture.execute(
            """
            INSERT INTO images (mod, image_id, url, thumbnail, file_path, uploaded_at, job_id)
            SELECT mod, file_sha1, 'https://assets.example/' || file_sha1 || '.png', 'https://assets.example/' || file_sha1 || '.thumb.png',
              file_path, created_at, id FROM jobs WHERE mod = ? ORDER BY id
            """, [mod])
        try fixture.execute(
            """
            INSERT INTO gallery_log (mod, at, job_id, kind, image_ids)
            SELECT mod, uploaded_at, job_id, 'uploaded', image_id FROM images WHERE mod = ? ORDER BY id
            """, [mod])
    }

    func get(_ client: any TestClientProtocol, _ path: String) async throws -> Answer {
        try await client.execute(uri: path, method: .get) { response in
            Answer(status: response.status, body: String(buffer: response.body), headers: response.headers)
        }
    }

    /// The ids of the job rows of a page's table, in order.
    func jobRows(_ html: String) -> [Int64] {
        html.components(separatedBy: "<tr><td><a href=\"/jobs/").dropFirst().compactMap { Int64($0.prefix { $0.isNumber }) }
    }

    /// The history rows' short image ids, in order.
    func historyRows(_ html: String) -> [String] {
        html.components(separatedBy: "<tr><td class=\"mono\">").dropFirst().map { String($0.prefix { $0 != "<" }) }
    }

    /// The address of a page's `rel="next"` link, if it has one.
    func nextLink(_ html: String) -> String? {
        guard let start = html.range(of: "rel=\"next\" href=\"") else { return nil }
        return String(html[start.upperBound...].prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The address in a `Link: <…>; rel="next"` header, if there is one.
    func nextLink(_ headers: HTTPFields) -> String? {
        guard let link = headers[.init("Link")!], link.hasSuffix("; rel=\"next\""), link.hasPrefix("<") else { return nil }
        return String(link.dropFirst().prefix { $0 != ">" })
    }

    /// Every page from `path` on, by its next links (at most `bound` pages): each page's rows.
    func follow<Row>(_ client: any TestClientProtocol, _ path: String, bound: Int = 500, rows: (Answer) throws -> [Row]) async throws
        -> [[Row]]
    {
        var pages: [[Row]] = []
        var next: String? = path
        while let path = next, pages.count < bound {
            let answer = try await get(client, path)
            #expect(answer.status == .ok, "\(path): \(answer.body)")
            pages.append(try rows(answer))
            next = answer.headers[.contentType]?.hasPrefix("application/json") == true ? nextLink(answer.headers) : nextLink(answer.body)
        }
        #expect(next == nil, "the pages never ended")
        return pages
    }

    func jsonArray(_ answer: Answer) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [[String: Any]])
    }

    func cliIDs(_ fixture: DashboardFixture, _ arguments: [String], key: String = "id") async throws -> [String] {
        let result = try await fixture.cli(arguments + ["--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        return rows.map { "\($0[key] ?? "")" }
    }

    @Test func theJobsPagesOfAModReachEveryJobOnceNewestOrOldestFirst() async throws {
        try await withDashboard { fixture, client in
            let all = try await cliIDs(fixture, ["jobs", "--mod", "many"]).compactMap { Int64($0) }
            #expect(all.count == Self.many)
            let newest = try await follow(client, "/mods/many/jobs?limit=7") { jobRows($0.body) }
            #expect(newest.allSatisfy { $0.count <= 7 } && newest.count == (Self.many + 6) / 7)
            #expect(newest.flatMap { $0 } == all)
            let oldest = try await follow(client, "/mods/many/jobs?oldest_first=1&limit=9") { jobRows($0.body) }
            #expect(oldest.flatMap { $0 } == all.reversed())
            // The mod page shows the newest few and links on to the rest, each job once.
            let modPage = try await get(client, "/mods/many")
            let shown = jobRows(modPage.body)
            #expect(shown == Array(all.prefix(ModPage.listPreview)))
            let rest = try await follow(client, try #require(nextLink(modPage.body.components(separatedBy: "<h2>Jobs</h2>")[1]))) {
                jobRows($0.body)
            }
            #expect(shown + rest.flatMap { $0 } == all)
        }
    }

    @Test func theAPIsLinkHeadersReachEveryJobAndUploadOnce() async throws {
        try await withDashboard { fixture, client in
            let all = try await cliIDs(fixture, ["jobs"])
            let pages = try await follow(client, "/api/jobs?limit=11") { try jsonArray($0).map { "\($0["id"] ?? "")" } }
            #expect(pages.flatMap { $0 } == all)
            #expect(Set(all).count == all.count && all.count == Self.many + 6)
            let filtered = try await follow(client, "/api/jobs?mod=many&state=done&kind=upload&limit=25") {
                try jsonArray($0).map { "\($0["id"] ?? "")" }
            }
            #expect(filtered.flatMap { $0 } == (try await cliIDs(fixture, ["jobs", "--mod", "many", "--state", "done", "--kind", "upload"])))
            let oldest = try await follow(client, "/api/jobs?oldest_first=1&limit=50") { try jsonArray($0).map { "\($0["id"] ?? "")" } }
            #expect(oldest.flatMap { $0 } == all.reversed())

            let history = try await cliIDs(fixture, ["history", "many"])
            #expect(history.count == Self.many)
            let newestUploads = try await follow(client, "/api/mods/many?limit=17") { try jsonArray($0).map { "\($0["id"] ?? "")" } }
            #expect(newestUploads.flatMap { $0 } == history.reversed())
            let oldestUploads = try await follow(client, "/api/mods/many?limit=40&oldest_first=1") {
                try jsonArray($0).map { "\($0["id"] ?? "")" }
            }
            #expect(oldestUploads.flatMap { $0 } == history)
            // The mod page's history: the newest few, then its link on to the others.
            let modPage = try await get(client, "/mods/many")
            let section = modPage.body.components(separatedBy: "<h2>History</h2>")[1].components(separatedBy: "<h2>Jobs</h2>")[0]
            let rest = try await follow(client, try #require(nextLink(section))) { historyRows($0.body) }
            let shown = historyRows(section) + rest.flatMap { $0 }
            #expect(shown == history.reversed().map { String($0.prefix(12)) })
        }
    }

    @Test func aPageHoldsAHundredUnlessAskedAndNeverMoreThanAThousand() async throws {
        try await withDashboard(extra: 1_000) { fixture, client in
            let first = try await get(client, "/api/jobs")
            #expect(try jsonArray(first).count == PageRequest.defaultLimit)
            #expect(nextLink(first.headers) == "/api/jobs?before=\(try #require(try jsonArray(first).last?["id"] as? Int))")
            let most = try await get(client, "/api/jobs?limit=1000")
            #expect(try jsonArray(most).count == 1_000)
            #expect(nextLink(most.headers) != nil)
            let last = try await get(client, "/api/jobs?limit=1000&before=\(try #require(try jsonArray(most).last?["id"] as? Int))")
            #expect(try jsonArray(last).count == Self.many + 6)
            #expect(nextLink(last.headers) == nil)
            #expect(jobRows(try await get(client, "/mods/extra/jobs").body).count == PageRequest.defaultLimit)
        }
    }

    @Test func aBadLimitOrCursorIsRefusedWithOneSentence() async throws {
        try await withDashboard { fixture, client in
            let refused: [(String, String)] = [
                ("limit=1001", "limit must be a whole number from 1 to 1000, not \"1001\"."),
                ("limit=0", "limit must be a whole number from 1 to 1000, not \"0\"."),
                ("limit=ten", "limit must be a whole number from 1 to 1000, not \"ten\"."),
                ("before=abc", "before must be the position a next link gives (a whole number above 0), not \"abc\"."),
                ("before=-5", "before must be the position a next link gives (a whole number above 0), not \"-5\"."),
                ("before=0", "before must be the position a next link gives (a whole number above 0), not \"0\"."),
                ("after=1.5", "after must be the position a next link gives (a whole number above 0), not \"1.5\"."),
                ("before=9&after=2", "Give before or after, not both."),
                ("before=9&oldest_first=1", "before pages newest first; oldest first pages with after."),
            ]
            for (query, sentence) in refused {
                for path in ["/api/jobs", "/api/mods/many"] {
                    let answer = try await get(client, path + "?" + query)
                    #expect(answer.status == .badRequest, "\(path)?\(query)")
                    let error = (try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: String])?["error"]
                    #expect(error == sentence, "\(path)?\(query)")
                }
                for path in ["/mods/many/jobs", "/mods/many/history"] {
                    let answer = try await get(client, path + "?" + query)
                    #expect(answer.status == .badRequest, "\(path)?\(query)")
                    #expect(answer.body.contains("<p>\(HTML.escape(sentence))</p>"), "\(path)?\(query)")
                }
            }
            for query in ["from=-1", "from=x", "limit=5000"] {
                #expect(try await get(client, "/mods/many/gallery?" + query).status == .badRequest, "\(query)")
            }
        }
    }

    @Test func aBigGalleryShowsItsFirstScreenfulAndPagesOnToTheRest() async throws {
        try await withDashboard { fixture, client in
            let queries = QueueQueries(database: try QueueDatabase.open(path: fixture.db, creating: false))
            let gallery = try await queries.gallery(mod: "many").items.map(\.imageID)
            #expect(gallery.count == Self.many)
            let modPage = try await get(client, "/mods/many")
            let shown = galleryIDs(in: modPage.body)
            #expect(shown == Array(gallery.prefix(ModPage.galleryScreenful)))
            #expect(modPage.body.contains("The first \(ModPage.galleryScreenful) of \(Self.many) images"))
            let rest = try await follow(client, try #require(nextLink(modPage.body))) { galleryIDs(in: $0.body) }
            #expect(shown + rest.flatMap { $0 } == gallery)
            let pages = try await follow(client, "/mods/many/gallery?limit=60") { galleryIDs(in: $0.body) }
            #expect(pages.map(\.count) == [60, 60, 10])
            #expect(pages.flatMap { $0 } == gallery)
            // A small gallery has no link on.
            #expect(nextLink(try await get(client, "/mods/alpha").body.components(separatedBy: "<h2>History</h2>")[0]) == nil)
        }
    }
}
