import Foundation
import ModPortalSim
import TestSupport
import Testing

/// One clock: with `TZ=Europe/Prague`, every time a person reads is Prague's local time, and the
/// log file and the JSON carry that same time with its offset (`+01:00` in winter).
@Suite struct OneClockTests {
    static let zone = ["TZ": "Europe/Prague"]
    static var iso: Regex<(Substring, Substring, Substring, Substring)> { #/(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)([+-]\d\d:\d\d)/# }

    /// Prague's offset from UTC now, as ISO 8601 writes it.
    var pragueOffset: String {
        let seconds = TimeZone(identifier: "Europe/Prague")!.secondsFromGMT(for: Date())
        return String(format: "%@%02d:%02d", seconds < 0 ? "-" : "+", abs(seconds) / 3600, abs(seconds) / 60 % 60)
    }

    /// The time of day and the offset of an ISO 8601 time.
    func timeAndOffset(_ text: String) throws -> (time: String, offset: String) {
        let match = try #require(text.firstMatch(of: Self.iso), "\(text) is not ISO 8601 with an offset")
        return (String(match.2), String(match.3))
    }

    @Test func theTerminalTheLogFileAndTheJSONTellTheSameLocalTime() async throws {
        try await withSimulator { _, url in
            let cli = try CLIHarness()
            #expect(try await cli.runOffline(["upload", "m"] + (try cli.pngs(1...1))).status == 0)
            let log = cli.dir.file("work.log")
            let work = try await cli.run(
                ["work", "--rate", "50/s", "--events", "json", "--log-file", log],
                environment: cli.workEnvironment(url).merging(Self.zone) { $1 })
            #expect(work.status == 0, "\(work.stderr)")

            // work's line on stderr, its log file line and its JSON event: one moment, one clock.
            let shown = try #require(work.stderr.split(separator: "\n").first { $0.contains("uploaded  m/image-1.png") })
            let shownTime = String(shown.prefix(8))
            let logged = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
            let loggedLine = try #require(logged.first { $0.contains("uploaded  m/image-1.png") }, "\(logged)")
            #expect(try timeAndOffset(loggedLine) == (shownTime, pragueOffset), "\(loggedLine) against \(shown)")
            #expect(try #require(logged.last { $0.contains("finished in") }).hasPrefix(logged[0].prefix(10)), "the summary has a time: \(logged)")
            let event = try #require(work.stdout.split(separator: "\n").first { $0.contains("\"uploaded\"") })
            let at = try #require(try JSONSerialization.jsonObject(with: Data(event.utf8)) as? [String: Any])["at"] as? String
            #expect(try timeAndOffset(try #require(at)) == (shownTime, pragueOffset), "\(event)")

            // log, and log --json: each event at the same local time.
            let json = try await cli.run(["log", "1", "--json"], environment: Self.zone)
            let events = try #require(
                (try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["events"] as? [[String: Any]])
            let text = try await cli.run(["log", "1"], environment: Self.zone)
            let lines = text.stdout.split(separator: "\n").dropFirst()
            #expect(lines.count == events.count && !events.isEmpty, "\(text.stdout)")
            for (line, event) in zip(lines, events) {
                let (time, offset) = try timeAndOffset(try #require(event["at"] as? String))
                #expect(offset == pragueOffset)
                #expect(line.hasPrefix(time) || line.contains(" \(time) "), "\(line) is not at \(time)")
            }

            // history and history --json.
            let entry = try #require(
                (try JSONSerialization.jsonObject(with: Data(try await cli.run(["history", "m", "--json"], environment: Self.zone).stdout.utf8))
                    as? [[String: Any]])?.first)
            let uploaded = try timeAndOffset(try #require(entry["uploaded_at"] as? String))
            #expect(uploaded.offset == pragueOffset)
            let history = try await cli.run(["history", "m"], environment: Self.zone)
            #expect(history.stdout.contains("  \(uploaded.time)  "), "\(history.stdout)")
        }
    }
}
