import Foundation
import TestSupport
import Testing

/// The man page's hand-written sections (docs/man-extra.mdoc, put in by `make man`): every
/// exit status the commands use, every variable they read, and examples.
@Suite struct ManPageSectionsTests {
    /// The text of the page's section `name`, up to the next `.Sh`.
    static func section(_ name: String, of page: String) -> String? {
        guard let start = page.range(of: "\n.Sh \(name)\n") ?? page.range(of: "\n.Sh \"\(name)\"\n") else { return nil }
        let rest = page[start.upperBound...]
        return String(rest[..<(rest.range(of: "\n.Sh ")?.lowerBound ?? rest.endIndex)])
    }

    /// Every Swift file of a source folder, as one text.
    static func sources(_ folder: String) throws -> String {
        let root = ShellConventionTests.packageRoot.appendingPathComponent(folder)
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        return try files.filter { $0.pathExtension == "swift" }.map { try String(contentsOf: $0, encoding: .utf8) }.joined(separator: "\n")
    }

    @Test func everyExitStatusTheCommandsUseIsListedWithTheCommandsThatUseIt() async throws {
        let page = try String(contentsOf: ShellConventionTests.manPageURL, encoding: .utf8)
        let exitStatus = try #require(Self.section("EXIT STATUS", of: page), "docs/modimg-queue.1 has no EXIT STATUS section (run make man)")
        #expect(!exitStatus.contains(".Ex -std"), "the generic EXIT STATUS is replaced by docs/man-extra.mdoc")
        let listed = Set(exitStatus.matches(of: /\n\.It ([0-9]+)\n/).map { Int($0.output.1)! })
        let cli = try Self.sources("Sources/modimg-queue")
        // What the commands throw or exit with, argument-parser's status for a wrong command line
        // (64, EX_USAGE), and success.
        let used = Set(cli.matches(of: /(?:ExitCode|exit)\(([0-9]+)\)/).map { Int($0.output.1)! }).union([0, 64])
        #expect(used.isSuperset(of: [1, 2, 130]), "\(used)")
        #expect(used.subtracting(listed).isEmpty, "exit statuses missing from the man page's EXIT STATUS: \(used.subtracting(listed).sorted())")
        for command in try await ShellConventionTests.commands() where !command.path.isEmpty {
            #expect(exitStatus.contains("Em \(command.name)"), "EXIT STATUS does not say what \(command.name) exits with")
        }
    }

    @Test func everyVariableTheProgramReadsIsInEnvironment() throws {
        let page = try String(contentsOf: ShellConventionTests.manPageURL, encoding: .utf8)
        let environment = try #require(Self.section("ENVIRONMENT", of: page), "docs/modimg-queue.1 has no ENVIRONMENT section (run make man)")
        let code = try Self.sources("Sources/modimg-queue") + Self.sources("Sources/ModImgQueue")
        let read = Set(code.matches(of: /environment\["([A-Z_]+)"\]/).map { String($0.output.1) })
            .union(["MOD_EDIT_API_KEY", "XDG_CONFIG_HOME", "TZ"])
        #expect(read.count >= 10, "\(read)")
        for variable in read.sorted() {
            #expect(environment.contains("Ev \(variable)"), "ENVIRONMENT does not describe \(variable)")
        }
        let examples = try #require(Self.section("EXAMPLES", of: page), "docs/modimg-queue.1 has no EXAMPLES section (run make man)")
        #expect(examples.contains("modimg-queue work") && examples.contains("config.toml"), "\(examples)")
    }
}
