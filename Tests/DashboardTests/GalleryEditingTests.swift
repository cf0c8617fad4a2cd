import Foundation
import Hummingbird
import HummingbirdTesting
import ModImgDashboard
import ModImgQueue
import NIOCore
import TestSupport
import Testing

/// Editing a mod's gallery from its page: plain forms whose posts become jobs through
/// `GalleryEditor` (nothing is sent to the portal), each refused without the session's CSRF
/// token, none offered by a read-only dashboard.
@Suite(.serialized) struct GalleryEditingTests {
    func withDashboard(_ body: @escaping @Sendable (DashboardFixture, SignedInClient) async throws -> Void) async throws {
        try await withSimulator(DashboardFixture.configure) { _, url in
            let fixture = try await DashboardFixture.make(simulatorURL: url)
            try await withSignedInDashboard(try fixture.dashboard()) { client in try await body(fixture, client) }
        }
    }

    func jobs(_ fixture: DashboardFixture) async throws -> [JobSummary] {
        try await JobListing(database: try QueueDatabase.open(path: fixture.db)).jobs(JobFilter(oldestFirst: true))
    }

    /// The page a 303 leads to.
    func followed(_ client: SignedInClient, _ response: TestResponse) async throws -> String {
        #expect(response.status == .seeOther)
        let location = try #require(response.headers[.location])
        return try await client.execute(uri: location, method: .get) { String(buffer: $0.body) }
    }

    func page(_ client: SignedInClient, _ uri: String = "/mods/alpha") async throws -> String {
        try await client.execute(uri: uri, method: .get) { String(buffer: $0.body) }
    }

    /// A `multipart/form-data` body as a browser sends the add form.
    static func multipart(_ fields: [(String, String)], files: [(String, Data)], boundary: String) -> ByteBuffer {
        var body = Data()
        for (name, value) in fields {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        for (name, data) in files {
            body.append(
                Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"files\"; filename=\"\(name)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8))
            body.append(data)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        return ByteBuffer(bytes: body)
    }

    @Test func theMoveButtonsRedrawTheDraftOrderAndQueueNothing() async throws {
        try await withDashboard { fixture, client in
            let shown = fixture.alphaGallery
            let html = try await page(client)
            #expect(html.contains("<form method=\"post\" action=\"/mods/alpha/order\" id=\"gallery-order\">"), "\(html)")
            #expect(html.contains("<input type=\"hidden\" name=\"order\" value=\"\(shown.joined(separator: ","))\">"))
            #expect(html.contains("name=\"move\" value=\"\(shown[2]):left\""))
            let before = try await jobs(fixture).count
            let moved = try await client.post("/mods/alpha/order", [("order", shown.joined(separator: ",")), ("move", "\(shown[2]):left")])
            let draft = String(buffer: moved.body)
            let expected = [shown[0], shown[2], shown[1], shown[3]]
            #expect(moved.status == .ok)
            #expect(galleryIDs(in: draft) == expected)
            #expect(draft.contains("<input type=\"hidden\" name=\"order\" value=\"\(expected.joined(separator: ","))\">"))
            #expect(draft.contains("id=\"gallery-order\" data-draft>"))
            // Moving the first image left again changes nothing.
            let still = try await client.post("/mods/alpha/order", [("order", expected.joined(separator: ",")), ("move", "\(expected[0]):left")])
            #expect(galleryIDs(in: String(buffer: still.body)) == expected)
            #expect(try await jobs(fixture).count == before, "a move queues nothing")
            #expect(galleryIDs(in: try await page(client)) == shown, "the saved page keeps its order")
        }
    }

    @Test func savingQueuesExactlyOneReorderOfTheShownOrder() async throws {
        try await withDashboard { fixture, client in
            let shown = fixture.alphaGallery
            let order = [shown[3], shown[1], shown[0], shown[2]]
            let before = try await jobs(fixture)
            let result = try await followed(client, try await client.post("/mods/alpha/order", [("order", order.joined(separator: ",")), ("save", "yes")]))
            let added = try await jobs(fixture).filter { job in !before.contains { $0.id == job.id } }
            #expect(added.count == 1)
            let reorder = try #require(added.first)
            #expect(reorder.kind == .reorder && reorder.state == .queued)
            #expect(reorder.imageIDs == order)
            #expect(result.contains("queued reorder job \(reorder.id): the gallery will be in the order shown."), "\(result)")
            #expect(galleryIDs(in: result) == order)
            #expect(result.contains("reorder: sets the order of 4 images"), "listed among the pending edits")
            // An order that leaves an image out is refused with its reason, and queues nothing.
            let short = try await followed(client, try await client.post("/mods/alpha/order", [("order", order.dropLast().joined(separator: ",")), ("save", "yes")]))
            #expect(short.contains("order not saved: the new order leaves out \(order[3].prefix(12))"), "\(short)")
            #expect(try await jobs(fixture).count == before.count + 1)
        }
    }

    @Test func removingQueuesOneRemovalAndThePageShowsTheImageGreyedAtItsPlace() async throws {
        try await withDashboard { fixture, client in
            let shown = fixture.alphaGallery
            let before = try await jobs(fixture)
            let result = try await followed(client, try await client.post("/mods/alpha/remove", [("order", shown.joined(separator: ",")), ("remove", shown[1])]))
            let added = try await jobs(fixture).filter { job in !before.contains { $0.id == job.id } }
            #expect(added.count == 1)
            let removal = try #require(added.first)
            #expect(removal.kind == .reorder && removal.excludedIDs == [shown[1]] && removal.imageIDs == [])
            #expect(result.contains("queued removal job \(removal.id)"), "\(result)")
            #expect(galleryIDs(in: result) == shown, "the image stays in view, at its place")
            #expect(result.contains("<li class=\"uploaded leaving\" data-image-id=\"\(shown[1])\">"), "greyed, not draggable")
            #expect(result.contains("<span class=\"state leaving\">leaving</span> by <a href=\"/jobs/\(removal.id)\">job \(removal.id)</a>"))
            let staying = [shown[0], shown[2], shown[3]]
            #expect(result.contains("<input type=\"hidden\" name=\"order\" value=\"\(staying.joined(separator: ","))\">"), "not part of the order")
            #expect(!result.contains("name=\"remove\" value=\"\(shown[1])\""))
        }
    }

    @Test func addingTwoPNGsAndATextFileAtPosition1QueuesTwoUploadsAndAReorderAndRefusesTheText() async throws {
        try await withDashboard { fixture, client in
            let shown = fixture.alphaGallery
            let (one, two) = (ImageFixtures.png(seed: 901), ImageFixtures.png(seed: 902))
            let before = try await jobs(fixture)
            let boundary = "----galleryTest7d1"
            let body = Self.multipart(
                [("csrf", client.csrf), ("position", "1")],
                files: [("one.png", one), ("two.png", two), ("notes.txt", Data("not an image\n".utf8))], boundary: boundary)
            let response = try await client.execute(
                uri: "/mods/alpha/add", method: .post, headers: [.contentType: "multipart/form-data; boundary=\(boundary)"], body: body)
            let result = try await followed(client, response)
            let added = try await jobs(fixture).filter { job in !before.contains { $0.id == job.id } }
            let uploads = added.filter { $0.kind == .upload }
            let ids = [ImageFixtures.sha1Hex(one), ImageFixtures.sha1Hex(two)]
            #expect(uploads.count == 2)
            #expect(uploads.compactMap(\.file).map { URL(fileURLWithPath: $0).lastPathComponent } == ["one.png", "two.png"])
            let reorders = added.filter { $0.kind == .reorder }
            #expect(reorders.count == 1)
            #expect(reorders.first?.imageIDs == ids + shown)
            #expect(result.contains("refused notes.txt: it is not a PNG, JPEG or GIF image by its content."), "\(result)")
            #expect(galleryIDs(in: result) == ids + shown)
        }
    }

    @Test func takingBackAnEditCancelsItsJobAndTheLogSaysTheDashboard() async throws {
        try await withDashboard { fixture, client in
            let job = fixture.queuedUpload
            let html = try await page(client)
            #expect(html.contains("<input type=\"hidden\" name=\"job\" value=\"\(job)\">"), "the queued upload is a pending edit")
            let result = try await followed(client, try await client.post("/mods/alpha/take-back", [("job", "\(job)")]))
            #expect(result.contains("taken back: job \(job)."), "\(result)")
            let queue = try QueueDatabase.open(path: fixture.db)
            #expect(try await JobListing(database: queue).job(id: job).state == .cancelled)
            #expect(try await QueueQueries(database: queue).events(jobID: job).last?.reason == "cancelled by request from the dashboard")
            #expect(!galleryIDs(in: result).contains(fixture.alphaIDs[3]))
            // A job of another mod is not taken back from this page.
            let other = try await followed(client, try await client.post("/mods/alpha/take-back", [("job", "\(fixture.betaUpload)")]))
            #expect(other.contains("nothing taken back: that is not a job of alpha."))
        }
    }

    @Test func everyGalleryPostWithoutTheCSRFTokenIs403AndChangesNothing() async throws {
        try await withDashboard { fixture, client in
            let shown = fixture.alphaGallery
            let before = try await jobs(fixture).map { "\($0.id) \($0.state)" }
            let posts: [(String, [(String, String)])] = [
                ("/mods/alpha/order", [("order", shown.reversed().joined(separator: ",")), ("save", "yes")]),
                ("/mods/alpha/remove", [("remove", shown[0])]),
                ("/mods/alpha/take-back", [("job", "\(fixture.queuedUpload)")]),
            ]
            for (path, fields) in posts {
                #expect(try await client.post(path, [("csrf", "forged")] + fields).status == .forbidden, "\(path)")
            }
            let boundary = "----forged"
            let body = Self.multipart([("csrf", "forged")], files: [("one.png", ImageFixtures.png(seed: 903))], boundary: boundary)
            let add = try await client.execute(
                uri: "/mods/alpha/add", method: .post, headers: [.contentType: "multipart/form-data; boundary=\(boundary)"], body: body)
            #expect(add.status == .forbidden)
            #expect(try await jobs(fixture).map { "\($0.id) \($0.state)" } == before)
        }
    }

    @Test func aReadOnlyDashboardOffersNoGalleryForm() async throws {
        try await withSimulator(DashboardFixture.configure) { _, url in
            let fixture = try await DashboardFixture.make(simulatorURL: url)
            let removal = try await GalleryEditor(database: try QueueDatabase.open(path: fixture.db)).remove(mod: "alpha", id: fixture.alphaIDs[0])
            try await withSignedInDashboard(try Dashboard.open(path: fixture.db, readOnly: true)) { client in
                let html = try await page(client)
                #expect(galleryIDs(in: html) == fixture.alphaGallery)
                #expect(html.contains("<span class=\"state leaving\">leaving</span> by <a href=\"/jobs/\(removal)\">job \(removal)</a>"))
                for offered in ["method=\"post\"", "/mods/alpha/order", "type=\"file\"", "take back", "name=\"move\"", "draggable=\"true\""] {
                    #expect(!html.contains(offered), "\(offered)")
                }
            }
        }
    }
}
