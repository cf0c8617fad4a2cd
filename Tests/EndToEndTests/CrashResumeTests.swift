import Foundation
import ModPortalSim
import TestSupport
import Testing

/// Whole processes, killed and restarted, against the simulator.
@Suite(.serialized) struct CrashResumeTests {
    @Test func killedRightAfterAddCommitsResumesAtTheUploadWithoutASecondAdd() async throws {
        try await withSimulator { sim, url in
            let cli = try CLIHarness()
            let image = try cli.pngs(1...1)[0]
            #expect(try await cli.runOffline(["upload", "crash-mod", image]).status == 0)
            var environment = cli.workEnvironment(url)
            environment["MODIMG_QUEUE_CRASH_AT"] = "after-add-commit"
            let killed = try await cli.run(["work", "--rate", "100/s", "--lease", "1"], environment: environment)
            #expect(killed.signalled)
            #expect(killed.status == SIGKILL)
            #expect(try await cli.total("added") == 1)
            #expect(sim.state().requests["add"] == 1)
            #expect(sim.state().requests["upload"] == nil || sim.state().requests["upload"] == 0)

            let resumed = try await cli.run(["work", "--rate", "100/s", "--lease", "1"], environment: cli.workEnvironment(url))
            #expect(resumed.status == 0, "\(resumed.stderr)")
            // It says what it picks up, not only how many jobs are open.
            #expect(resumed.stderr.contains("1 open job (resuming 1 added, not sent)"), "\(resumed.stderr)")
            let state = sim.state()
            #expect(state.requests["add"] == 1)
            #expect(state.requests["upload"] == 1)
            let id = ImageFixtures.sha1Hex(ImageFixtures.png(seed: 1))
            #expect(state.galleries["crash-mod"] == [id])
            #expect(try await cli.total("done") == 1)
            let history = try await cli.run(["history", "crash-mod", "--json"])
            #expect(history.stdout.contains(id))
        }
    }

    @Test func killedBetweenAnAddAheadAndItsUploadResumesWithoutASecondAddAndKeepsTheOrder() async throws {
        // A slow first upload: the second job adds ahead once the first has made its add.
        try await withSimulator({ $0.faults = FaultPlan([.slow: 1], slowMilliseconds: 1500, calls: [.upload]) }) { sim, url in
            let cli = try CLIHarness()
            #expect(try await cli.runOffline(["upload", "m"] + (try cli.pngs(1...3))).status == 0)
            var environment = cli.workEnvironment(url)
            environment["MODIMG_QUEUE_CRASH_AT"] = "after-add-ahead-commit"
            let killed = try await cli.run(["work", "--rate", "100/s", "--concurrency", "2", "--lease", "1"], environment: environment)
            #expect(killed.signalled && killed.status == SIGKILL, "no add was made ahead: \(killed.stderr)")
            #expect(sim.state().requests["add"] == 2)
            let log = try await cli.run(["log", "2"]).stdout
            #expect(log.contains("queued -> added"), "\(log)")

            let resumed = try await cli.run(
                ["work", "--rate", "100/s", "--concurrency", "2", "--lease", "1", "--listing-lag", "2"],
                environment: cli.workEnvironment(url))
            #expect(resumed.status == 0, "\(resumed.stderr)")
            let state = sim.state()
            // Job 2's add was not made again; job 3 made its own (ahead or not).
            #expect(state.requests["add"] == 3, "\(state.requests)")
            let ids = (1...3).map { ImageFixtures.sha1Hex(ImageFixtures.png(seed: $0)) }
            #expect(state.galleries["m"] == ids)
            #expect(state.uploadsPerImage["m"]?.values.allSatisfy { $0 == 1 } == true, "\(state.uploadsPerImage)")
            let second = try await cli.run(["log", "2"]).stdout
            #expect(second.components(separatedBy: "queued -> added").count == 2, "\(second)")
        }
    }

    @Test func twoWorkersOnOneDatabaseRunNoJobTwice() async throws {
        try await withSimulator({ $0.latencyMilliseconds = 5 }) { sim, url in
            let cli = try CLIHarness()
            var expected: [String: [String]] = [:]
            for modIndex in 0..<6 {
                let seeds = (modIndex * 5 + 1)...(modIndex * 5 + 5)
                let mod = "mod-\(modIndex)"
                #expect(try await cli.runOffline(["upload", mod] + (try cli.pngs(seeds))).status == 0)
                expected[mod] = seeds.map { ImageFixtures.sha1Hex(ImageFixtures.png(seed: $0)) }
            }
            let arguments = ["work", "--rate", "200/s", "--concurrency", "2"]
            let first = try cli.start(arguments, environment: cli.workEnvironment(url))
            let second = try cli.start(arguments, environment: cli.workEnvironment(url))
            let results = [await first.wait(), await second.wait()]
            for result in results { #expect(result.status == 0, "\(result.stderr)") }
            let state = sim.state()
            #expect(state.requests["add"] == 30)
            #expect(state.requests["upload"] == 30)
            for (mod, ids) in expected {
                #expect(state.galleries[mod] == ids, "gallery of \(mod)")
                #expect(state.uploadsPerImage[mod]?.values.allSatisfy { $0 == 1 } == true)
            }
            #expect(try await cli.total("done") == 30)
        }
    }
}
