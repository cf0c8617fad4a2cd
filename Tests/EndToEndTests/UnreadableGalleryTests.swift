import Foundation
import ModPortalSim
import TestSupport
import Testing

/// `enqueue` never plans a mod whose gallery it could not read from this database's history:
/// on a new database that history is empty and every image already in the gallery would be
/// uploaded a second time. Through the built binary, against the simulator.
@Suite(.serialized) struct UnreadableGalleryTests {
    /// The listing answers 503 (with `Retry-After: 0`, so the retries wait for nothing) `count` times.
    func failListings(_ sim: PortalSimulator, _ count: Int) {
        for _ in 0..<count {
            sim.injectResponse(
                for: .full,
                CannedResponse(status: 503, headers: ["Content-Type": "text/html", "Retry-After": "0"], body: "<html>busy</html>"))
        }
    }

    func queuedMods(_ cli: CLIHarness) async throws -> [String] {
        let result = try await cli.run(["jobs", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let jobs = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] ?? []
        return jobs.compactMap { $0["mod"] as? String }
    }

    @Test func aGalleryThatCannotBeReadOnANewDatabaseGetsNothingQueuedAndNoSecondCopy() async throws {
        try await withSimulator { sim, url in
            let cli = try CLIHarness()
            let (tree, ids) = try cli.makeTree(["alpha": 1...2])
            // The portal already holds alpha's first image; this machine's database is new.
            _ = sim.seedGallery(mod: "alpha", images: [ImageFixtures.png(seed: 1)])
            for dryRun in [["--dry-run"], []] {
                failListings(sim, 3)
                let result = try await cli.run(["enqueue", tree] + dryRun, environment: cli.workEnvironment(url))
                #expect(result.status == 1, "\(result.stdout)")
                let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("modimg-queue:") }
                #expect(errors.count == 1, "\(result.stderr)")
                #expect(result.stderr.contains("could not read the gallery of alpha (server error HTTP 503"), "\(result.stderr)")
                #expect(result.stderr.contains("nothing was queued for it") && result.stderr.contains("--offline"))
                #expect(!FileManager.default.fileExists(atPath: cli.db), "nothing to plan: no queue is created")
            }
            // Once the listing answers, only the image the gallery lacks is queued and sent.
            let again = try await cli.run(["enqueue", tree], environment: cli.workEnvironment(url))
            #expect(again.status == 0, "\(again.stderr)")
            #expect(try await cli.total("queued") == 2)
            let work = try await cli.run(["work", "--rate", "100/s"], environment: cli.workEnvironment(url))
            #expect(work.status == 0, "\(work.stderr)")
            let state = sim.state()
            #expect(state.galleries["alpha"] == ids["alpha"])
            #expect(state.uploadsPerImage["alpha"] == [ids["alpha"]![1]: 1], "the image already there was uploaded again")
        }
    }

    @Test func theModsWhoseGalleryWasReadAreQueuedAsUsualAndTheCommandExits1() async throws {
        try await withSimulator { sim, url in
            let cli = try CLIHarness()
            let (tree, ids) = try cli.makeTree(["alpha": 1...2, "beta": 3...4])
            _ = sim.seedGallery(mod: "alpha", images: [ImageFixtures.png(seed: 1)])
            _ = sim.seedGallery(mod: "beta", images: [ImageFixtures.png(seed: 3)])
            // Both listings are read at once, each tried three times: five failures leave exactly
            // one of them unreadable (three failures) and the other read on its third try.
            failListings(sim, 5)
            let result = try await cli.run(["enqueue", tree], environment: cli.workEnvironment(url))
            #expect(result.status == 1, "\(result.stdout)")
            let named = ["alpha", "beta"].filter { result.stderr.contains("could not read the gallery of \($0) (") }
            #expect(named.count == 1, "\(result.stderr)")
            let refused = try #require(named.first)
            let planned = refused == "alpha" ? "beta" : "alpha"
            #expect(!result.stderr.contains("gallery of \(planned)"))
            #expect(result.stdout.contains("queued 1 upload job and 1 reorder job"), "\(result.stdout)")
            #expect(try await queuedMods(cli) == [planned, planned])
            #expect(sim.state().requests["full", default: 0] == 6)
            // The next enqueue plans the other mod from its listing.
            let again = try await cli.run(["enqueue", tree], environment: cli.workEnvironment(url))
            #expect(again.status == 0, "\(again.stderr)")
            let work = try await cli.run(["work", "--rate", "100/s"], environment: cli.workEnvironment(url))
            #expect(work.status == 0, "\(work.stderr)")
            let state = sim.state()
            for mod in ["alpha", "beta"] {
                #expect(state.galleries[mod] == ids[mod])
                #expect(state.uploadsPerImage[mod] == [ids[mod]![1]: 1], "\(mod): \(state.uploadsPerImage)")
            }
        }
    }
}
