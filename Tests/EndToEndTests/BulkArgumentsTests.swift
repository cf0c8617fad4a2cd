import Foundation
import TestSupport
import Testing

/// Long value lists on the command line are taken in full and in order (they bypass
/// argument-parser's quadratic storage of repeated positionals).
@Suite struct BulkArgumentsTests {
    @Test func aReorderOfTenThousandIdsQueuesEveryIdInOrder() async throws {
        let cli = try CLIHarness()
        let ids = (0..<10_000).map { String(format: "%040x", $0 * 7919 + 1) }
        let result = try await cli.runOffline(["reorder", "m"] + ids)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("to 10000 images: job 1"))
        let log = try await cli.run(["log", "1"]).stdout
        let firstLine = try #require(log.split(separator: "\n").first)
        #expect(firstLine.hasSuffix("images " + ids.joined(separator: ",")))
    }

    @Test func valuesBeforeAndAfterOptionsAreAllKept() async throws {
        let cli = try CLIHarness()
        let files = try cli.pngs(1...4)
        let result = try await CommandRunner.run(
            Binaries.modimgQueue, ["upload", "m", files[0], files[1], files[2], "--db", cli.db, files[3], "--offline"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("queued 4 uploads for m: jobs 1, 2, 3, 4"), "\(result.stdout)")
        for (job, file) in files.enumerated() {
            let log = try await cli.run(["log", "\(job + 1)"]).stdout
            #expect(log.contains("file \(file)"), "job \(job + 1) is not \(file): \(log)")
        }
        let repeated = try await cli.runOffline(["reorder", "m", String(repeating: "a", count: 40), String(repeating: "b", count: 40), String(repeating: "a", count: 40)])
        #expect(repeated.status != 0)
        #expect(repeated.stderr.contains("is named twice"), "a value taken aside must still be checked: \(repeated.stderr)")
    }
}
