import Foundation
import ModPortalSim
import TestSupport
import Testing

/// Real processes, stopped, continued, killed and raced against each other on one database,
/// against the simulator: each image lands once, nothing cancelled is sent, nobody waits for
/// a dead worker or for a rate nobody uses any more.
@Suite(.serialized) struct StallTests {
    /// Polls `condition` every 20 ms for up to `seconds`; false if it never held.
    func eventually(_ seconds: Double = 60, _ condition: () async throws -> Bool) async rethrows -> Bool {
        for _ in 0..<Int(seconds * 50) {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// Waits for the command; kills it (and reports nil) if it is still running after `seconds`.
    func finish(_ command: RunningCommand, within seconds: Double) async -> CommandResult? {
        let finished = await eventually(seconds) { !command.process.isRunning }
        if !finished { command.kill(SIGKILL) }
        let result = await command.wait()
        return finished ? result : nil
    }

    func slowAdds(_ milliseconds: Int) -> (inout SimConfiguration) -> Void {
        { $0.faults = FaultPlan([.slow: 1], slowMilliseconds: milliseconds, calls: [.add]) }
    }

    @Test func aWorkerStoppedPastItsLeaseDuringAnAddUploadsTheImageOnce() async throws {
        try await withSimulator(slowAdds(4000)) { sim, url in
            let cli = try CLIHarness()
            #expect(try await cli.runOffline(["upload", "m", try cli.pngs(1...1)[0]]).status == 0)
            let worker = try cli.start(
                ["work", "--concurrency", "8", "--lease", "1.5", "--rate", "100/s", "--timeout", "30"],
                environment: cli.workEnvironment(url))
            #expect(await eventually { sim.state().requests["add"] == 1 })
            worker.kill(SIGSTOP)
            try await Task.sleep(for: .seconds(3))
            worker.kill(SIGCONT)
            let result = try #require(await finish(worker, within: 60))
            #expect(result.status == 0, "\(result.stderr)")
            let state = sim.state()
            #expect(state.requests["upload"] == 1)
            #expect(state.galleries["m"] == [ImageFixtures.sha1Hex(ImageFixtures.png(seed: 1))])
            let log = try await cli.run(["log", "1"]).stdout
            #expect(!log.contains("added -> added"), "\(log)")
            #expect(log.contains("queued -> added") && log.contains("added -> done"), "\(log)")
        }
    }

    @Test func aJobCancelledWhileAStoppedWorkerHoldsItsExpiredClaimIsNeverSent() async throws {
        try await withSimulator(slowAdds(3000)) { sim, url in
            let cli = try CLIHarness()
            #expect(try await cli.runOffline(["upload", "m", try cli.pngs(1...1)[0]]).status == 0)
            let worker = try cli.start(
                ["work", "--lease", "1.5", "--rate", "100/s", "--timeout", "30"], environment: cli.workEnvironment(url))
            #expect(await eventually { sim.state().requests["add"] == 1 })
            // While the claim is live, cancel is refused and says so.
            let early = try await cli.run(["cancel", "1"])
            #expect(early.status == 1)
            #expect(early.stderr.contains("holds it until"), "\(early.stderr)")
            worker.kill(SIGSTOP)
            try await Task.sleep(for: .seconds(2))
            let cancel = try await cli.run(["cancel", "1"])
            #expect(cancel.status == 0, "\(cancel.stderr)")
            #expect(cancel.stdout.contains("cancelled: job 1."), "\(cancel.stdout)")
            worker.kill(SIGCONT)
            let result = try #require(await finish(worker, within: 60))
            #expect(result.status == 0, "\(result.stderr)")
            #expect(sim.state().requests["upload"] ?? 0 == 0)
            #expect(try await cli.total("cancelled") == 1)
            let log = try await cli.run(["log", "1"]).stdout
            #expect(!log.contains("added"), "\(log)")
        }
    }

    @Test func twoEnqueuesOfOneTreeAtTheSameMomentQueueOnePlan() async throws {
        for _ in 0..<3 {
            let cli = try CLIHarness()
            let tree = cli.dir.url.appendingPathComponent("galleries")
            for mod in 0..<20 {
                let folder = tree.appendingPathComponent("mod-\(mod)")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                for image in 0..<5 { _ = try ImageFixtures.writePNG(seed: mod * 5 + image, to: folder, name: "\(image).png") }
            }
            let first = try cli.start(["enqueue", tree.path, "--offline"])
            let second = try cli.start(["enqueue", tree.path, "--offline"])
            for result in [await first.wait(), await second.wait()] { #expect(result.status == 0, "\(result.stderr)") }
            // 100 uploads and 20 reorders: one plan, not two.
            #expect(try await cli.total("queued") == 120)
        }
    }

    @Test func aWorkerKilledWithSIGKILLIsTakenOverAtOnceByTheNextOnTheSameHost() async throws {
        try await withSimulator(slowAdds(2000)) { sim, url in
            let cli = try CLIHarness()
            #expect(try await cli.runOffline(["upload", "m", try cli.pngs(1...1)[0]]).status == 0)
            let killed = try cli.start(["work", "--lease", "600", "--rate", "100/s"], environment: cli.workEnvironment(url))
            #expect(await eventually { sim.state().requests["add"] == 1 })
            killed.kill(SIGKILL)
            _ = await killed.wait()
            // The dead worker's lease has ten minutes left; the next worker must not wait for it.
            let next = try cli.start(["work", "--lease", "600", "--rate", "100/s"], environment: cli.workEnvironment(url))
            let result = await finish(next, within: 120)
            let finished = try #require(result, "the next worker waited for the dead worker's lease")
            #expect(finished.status == 0, "\(finished.stderr)")
            #expect(finished.stderr.contains("from a worker on this host that is gone"), "\(finished.stderr)")
            #expect(sim.state().requests["upload"] == 1)
        }
    }

    @Test func aSlowRateUsedBeforeDoesNotHoldBackAFasterOne() async throws {
        try await withSimulator { sim, url in
            let cli = try CLIHarness()
            for mod in ["a", "b", "c"] {
                #expect(try await cli.runOffline(["upload", mod, try cli.pngs(1...1, prefix: mod)[0]]).status == 0)
            }
            let slow = try cli.start(["work", "--rate", "1/h"], environment: cli.workEnvironment(url))
            #expect(await eventually { sim.state().requests["add"] == 1 })
            slow.kill(SIGINT)
            #expect(await slow.wait().status == 130)
            let fast = try cli.start(["work", "--rate", "100/s"], environment: cli.workEnvironment(url))
            let result = try #require(await finish(fast, within: 120), "the faster rate waited for the slower one's budget")
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try await cli.total("done") == 3)
        }
    }

    @Test func aDatabaseDeletedWhileWorkRunsEndsTheRunWithASentenceNotASuccess() async throws {
        try await withSimulator(slowAdds(1500)) { sim, url in
            let cli = try CLIHarness()
            for mod in ["a", "b", "c"] {
                #expect(try await cli.runOffline(["upload", mod, try cli.pngs(1...1, prefix: mod)[0]]).status == 0)
            }
            let worker = try cli.start(["work", "--rate", "100/s"], environment: cli.workEnvironment(url))
            #expect(await eventually { sim.state().requests["add"] == 1 })
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: cli.db + suffix) }
            let result = try #require(await finish(worker, within: 60))
            #expect(result.status == 1)
            #expect(result.stderr.contains("was deleted or replaced while this command ran"), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: cli.db))
        }
    }

    @Test func aRequestStuckInADrippingAnswerIsAbandonedOnTheFirstSIGINT() async throws {
        // The upload's answer comes one byte a second: it would take minutes, within --timeout.
        try await withSimulator({ $0.faults = FaultPlan([.drip: 1], slowMilliseconds: 1000, calls: [.upload]) }) { sim, url in
            let cli = try CLIHarness()
            #expect(try await cli.runOffline(["upload", "m", try cli.pngs(1...1)[0]]).status == 0)
            let worker = try cli.start(["work", "--rate", "100/s", "--timeout", "600"], environment: cli.workEnvironment(url))
            #expect(await eventually { sim.state().requests["upload"] == 1 })
            worker.kill(SIGINT)
            let result = try #require(await finish(worker, within: 30), "the first SIGINT did not end a stuck request")
            #expect(result.status == 130, "\(result.stderr)")
            let status = try await cli.statusJSON()
            #expect((status["held"] as? [Any])?.isEmpty ?? true, "a claim was left behind: \(status)")
            #expect(try await cli.run(["log", "1"]).stdout.contains("worker stopped"))
        }
    }
}
