import Foundation
import Synchronization
import Testing

@testable import ModImgQueue

/// `ChildProcess`, which starts `--on-finish` commands and every binary the tests run, in place
/// of Foundation's `Process` (whose `run()` can crash the caller at random on Linux).
@Suite struct ChildProcessTests {
    func output(_ process: ChildProcess) -> String {
        String(decoding: process.standardOutput?.readDataToEndOfFile() ?? Data(), as: UTF8.self)
    }

    @Test func theChildGetsExactlyItsArgumentsAndEnvironmentAndItsExitStatusIsKept() throws {
        let process = try ChildProcess(
            executable: "/bin/sh", arguments: ["-c", #"echo "$A|$2|${HOME-none}"; exit 3"#, "sh", "one", "two words"],
            environment: ["A": "x y"], standardOutput: .pipe)
        #expect(output(process) == "x y|two words|none\n")
        #expect(process.waitUntilExit() == ChildProcess.Termination(status: 3, signalled: false))
        #expect(!process.isRunning)
    }

    @Test func aChildEndedBySignalSaysWhichAndItsExitHandlerHearsOnce() throws {
        let heard = HeardExits()
        let process = try ChildProcess(
            executable: "/bin/sleep", arguments: ["30"], environment: [:], onExit: { heard.add($0) })
        #expect(process.isRunning)
        process.send(SIGTERM)
        #expect(process.waitUntilExit() == ChildProcess.Termination(status: SIGTERM, signalled: true))
        #expect(heard.all == [ChildProcess.Termination(status: SIGTERM, signalled: true)])
    }

    @Test func theChildRunsInItsFolderWithNoneOfThisProcesssFiles() throws {
        let held = open("/dev/null", O_RDONLY)  // not close-on-exec: only the spawn itself keeps it out
        defer { close(held) }
        let process = try ChildProcess(
            executable: "/bin/sh", arguments: ["-c", "pwd; ls /proc/$$/fd"], environment: [:], currentDirectory: "/",
            standardOutput: .pipe)
        let lines = output(process).split(separator: "\n").map(String.init)
        process.waitUntilExit()
        #expect(lines.first == "/")
        #expect(!lines.dropFirst().contains(String(held)), "\(lines)")
    }

    @Test func aMissingExecutableIsAnErrorNotAChild() {
        #expect(throws: (any Error).self) {
            try ChildProcess(executable: "/nonexistent/tool", arguments: [], environment: [:])
        }
    }
}

private final class HeardExits: Sendable {
    private let exits = Mutex<[ChildProcess.Termination]>([])
    func add(_ termination: ChildProcess.Termination) { exits.withLock { $0.append(termination) } }
    var all: [ChildProcess.Termination] { exits.withLock { $0 } }
}
