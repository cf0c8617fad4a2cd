import Foundation
import TestSupport
import Testing

/// What a shell user expects of both executables: `--version`, clean help, sizes with units,
/// and a man page and completions that `make install-files` puts where shells look for them.
@Suite struct ShellConventionTests {
    /// The package's root folder, where the Makefile and docs/ are.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func bothExecutablesPrintTheSameVersion() async throws {
        let queue = try await CommandRunner.run(Binaries.modimgQueue, ["--version"])
        let sim = try await CommandRunner.run(Binaries.modportalSim, ["--version"])
        #expect(queue.status == 0 && sim.status == 0, "\(queue.stderr) \(sim.stderr)")
        let version = queue.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(version.wholeMatch(of: /[0-9]+\.[0-9]+\.[0-9]+/) != nil, "modimg-queue --version printed \(queue.stdout)")
        #expect(sim.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == version)
    }

    @Test func noHelpShowsAPlaceholderSplitInsideAWord() async throws {
        var helps: [(String, CommandResult)] = [("modportal-sim", try await CommandRunner.run(Binaries.modportalSim, ["--help"]))]
        for command in try await Self.commands() {
            helps.append((command.name, try await CommandRunner.run(Binaries.modimgQueue, command.path + ["--help"])))
        }
        #expect(helps.count >= 11, "the dump named only \(helps.map(\.0))")
        for (name, help) in helps {
            #expect(help.status == 0, "\(name): \(help.stderr)")
            #expect(!help.stdout.contains("-i-ds>"), "\(name): \(help.stdout)")
            // argument-parser's split of "IDs", "URLs" and the like: a one-letter word inside a placeholder.
            #expect(help.stdout.firstMatch(of: /<[^<>]*-[a-z]-[^<>]*>/) == nil, "\(name): \(help.stdout)")
        }
        let cancel = helps.first { $0.0 == "cancel" }?.1.stdout ?? ""
        #expect(cancel.contains("<job-id> ..."), "\(cancel)")
        let reorder = helps.first { $0.0 == "reorder" }?.1.stdout ?? ""
        #expect(reorder.contains("<image-id-or-file> ..."), "\(reorder)")
    }

    @Test func maxSizeShowsItsDefaultWithAUnit() async throws {
        for command in ["upload", "enqueue"] {
            let help = try await CommandRunner.run(Binaries.modimgQueue, [command, "--help"])
            let flat = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(flat.contains("--max-size <size>"), "\(command): \(help.stdout)")
            #expect(flat.contains("(default: 20MiB)"), "\(command): \(help.stdout)")
        }
    }

    @Test(arguments: ["5MB", "20MiB", "1kb", "1KiB", "1gib", "2GB", "1000"])
    func uploadAcceptsASizeWithAUnit(size: String) async throws {
        let cli = try CLIHarness()
        let image = try cli.pngs(1...1)[0]
        let result = try await cli.runOffline(["upload", "--max-size", size, "m", image])
        #expect(result.status == 0, "\(size): \(result.stderr)")
        #expect(try await cli.total("queued") == 1)
    }

    @Test func aSizeIsMultipliedByItsUnit() async throws {
        // The 8×8 fixture is a few hundred bytes: within 1KB, over 1 byte counted by a unit of none.
        let cli = try CLIHarness()
        let image = try cli.pngs(1...1)[0]
        let bytes = try FileManager.default.attributesOfItem(atPath: image)[.size] as? Int ?? 0
        #expect(bytes > 100 && bytes < 1_000)
        let tooSmall = try await cli.runOffline(["upload", "--max-size", "\(bytes - 1)", "m", image])
        #expect(tooSmall.stderr.contains("over the \(bytes - 1)-byte limit"), "\(tooSmall.stderr)")
        #expect(try await cli.runOffline(["upload", "--max-size", "1KB", "m", image]).status == 0)
        #expect(try await cli.total("queued") == 1)
    }

    struct BadSize: Sendable {
        let command: String
        let size: String
        let reason: String
    }

    @Test(arguments: [
        BadSize(command: "upload", size: "5XB", reason: "it is not a size"),
        BadSize(command: "upload", size: "-1", reason: "a size cannot be negative"),
        BadSize(command: "upload", size: "=-1", reason: "a size cannot be negative"),
        BadSize(command: "upload", size: "0", reason: "a size must be more than zero bytes"),
        BadSize(command: "upload", size: "0MiB", reason: "a size must be more than zero bytes"),
        BadSize(command: "upload", size: "", reason: "it is not a size"),
        BadSize(command: "upload", size: "MB", reason: "it is not a size"),
        BadSize(command: "upload", size: "1.5MB", reason: "it is not a size"),
        BadSize(command: "upload", size: "99999999999999999999", reason: "it is more than the largest size"),
        BadSize(command: "upload", size: "9000000000GiB", reason: "it is more than the largest size"),
        BadSize(command: "enqueue", size: "5XB", reason: "it is not a size"),
        BadSize(command: "enqueue", size: "-20MiB", reason: "a size cannot be negative"),
    ])
    func aBadSizeIsRefusedWithOneSentenceAndQueuesNothing(bad: BadSize) async throws {
        let cli = try CLIHarness()
        let images = try cli.pngs(1...2)
        #expect(try await cli.runOffline(["upload", "m", images[0]]).status == 0)
        let target = bad.command == "upload" ? ["m", images[1]] : ["--offline", cli.dir.path]
        let sizeArguments = bad.size.hasPrefix("=") ? ["--max-size\(bad.size)"] : ["--max-size", bad.size]
        let result = try await cli.run([bad.command] + sizeArguments + target)
        #expect(result.status != 0, "\(bad.size): exit status 0")
        let sentences = result.stderr.split(separator: "\n").filter {
            !$0.hasPrefix("Usage:") && !$0.hasPrefix("  See '") && !$0.hasPrefix("Help:") && !$0.isEmpty
        }
        #expect(sentences.count == 1, "\(bad.size): \(result.stderr)")
        #expect(sentences.first?.contains("'--max-size <size>': \(bad.reason)") == true, "\(bad.size): \(result.stderr)")
        #expect(try await cli.total("queued") == 1)
    }

    @Test func makeInstallFilesInstallsTheManPageAndCompletions() async throws {
        let dest = try TemporaryDirectory("install")
        let make = try await CommandRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["make", "-s", "-C", Self.packageRoot.path, "install-files", "BIN=\(Binaries.directory.path)", "DESTDIR=\(dest.path)", "PREFIX=/opt/mq"])
        #expect(make.status == 0, "\(make.stdout) \(make.stderr)")
        let prefix = dest.url.appendingPathComponent("opt/mq")
        func contents(_ path: String) -> String {
            (try? String(contentsOf: prefix.appendingPathComponent(path), encoding: .utf8)) ?? ""
        }
        for binary in ["bin/modimg-queue", "bin/modportal-sim"] {
            #expect(FileManager.default.isExecutableFile(atPath: prefix.appendingPathComponent(binary).path), "\(binary)")
        }
        let manPage = contents("share/man/man1/modimg-queue.1")
        #expect(manPage == (try String(contentsOf: Self.manPageURL, encoding: .utf8)))
        let bash = contents("share/bash-completion/completions/modimg-queue")
        #expect(bash.contains("modimg-queue"))
        #expect(!contents("share/zsh/site-functions/_modimg-queue").isEmpty)
        #expect(contents("share/zsh/site-functions/_modimg-queue").hasPrefix("#compdef modimg-queue"))
        #expect(contents("share/fish/vendor_completions.d/modimg-queue.fish").contains("modimg-queue"))
        // contrib's recipes, as documentation; the CI script ready to run where the workflow calls it.
        let doc = "share/doc/modimg-queue/"
        for file in ["modimg-queue.service", "modimg-queue.timer", "github-actions/README.md", "github-actions/publish-gallery.yml"] {
            #expect(!contents(doc + file).isEmpty, "\(file)")
        }
        #expect(FileManager.default.isExecutableFile(atPath: prefix.appendingPathComponent(doc + "github-actions/publish-gallery.sh").path))

        // upload's images complete as image files, enqueue's path as any file or folder.
        let upload = Self.bashFunction("upload", in: bash)
        #expect(upload.contains("-fX '!*.@(png|jpg|jpeg|gif|"), "\(upload)")
        let enqueue = Self.bashFunction("enqueue", in: bash)
        #expect(enqueue.contains("_add_completions -f\n"), "\(enqueue)")
    }

    @Test func theCommittedManPageSaysWhatTheCommandsHelpSays() async throws {
        // mdoc writes `--db` as `Fl -db` (Fl adds one dash) and `-h, --help` as `Fl h , -help`.
        let page = try String(contentsOf: Self.manPageURL, encoding: .utf8).replacingOccurrences(of: "\\-", with: "-")
            .replacingOccurrences(of: "Fl -", with: "--").replacingOccurrences(of: " , -", with: " , --")
        var expected = Set<String>()
        let commands = try await Self.commands()
        for command in commands {
            expected.formUnion(command.options)
            for text in command.texts {
                let found = page.contains(text)
                #expect(found, "docs/modimg-queue.1 lacks this help text of \(command.name) (run make man): \(text)")
            }
        }
        #expect(commands.map(\.texts.count).reduce(0, +) > 40)
        // Each subcommand is one `.It Em name` entry.
        let subcommands = Set(commands.filter { !$0.path.isEmpty }.map(\.name)).union(["help"])
        let entries = Set(page.matches(of: /\n\.It Em ([a-z-]+)\n/).map { String($0.output.1) })
        #expect(subcommands.count >= 11)
        #expect(entries == subcommands, "docs/modimg-queue.1 has \(entries.sorted()), the binary \(subcommands.sorted()); run make man")
        let mentioned = Set(page.matches(of: /--[a-z][a-z0-9-]*/).map { String($0.output) }).subtracting(["--help", "--version"])
        #expect(mentioned.contains("--max-size") && mentioned.contains("--db"), "the page's options were not found: \(mentioned)")
        let missing = expected.subtracting(mentioned)
        let stale = mentioned.subtracting(expected)
        #expect(missing.isEmpty, "options missing from docs/modimg-queue.1 (run make man): \(missing.sorted())")
        #expect(stale.isEmpty, "options in docs/modimg-queue.1 that no command has (run make man): \(stale.sorted())")
    }

    static var manPageURL: URL { packageRoot.appendingPathComponent("docs/modimg-queue.1") }

    /// A command of `modimg-queue` as `--experimental-dump-help` describes it.
    struct Command {
        let name: String
        /// The words after `modimg-queue` that select it.
        let path: [String]
        /// Its long option names, `--db` and the like, without those every command has.
        let options: Set<String>
        /// Its abstract and discussion, and those of its arguments and options, as help shows them.
        let texts: [String]
    }

    /// The root command and every subcommand, from the binary's own description of itself.
    static func commands() async throws -> [Command] {
        let dump = try await CommandRunner.run(Binaries.modimgQueue, ["--experimental-dump-help"])
        let json = try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any]
        guard let root = json?["command"] as? [String: Any] else {
            Issue.record("no command in the help dump: \(dump.stdout.prefix(200))")
            return []
        }
        var commands: [Command] = []
        func walk(_ command: [String: Any], path: [String]) {
            let name = command["commandName"] as? String ?? "?"
            var options = Set<String>()
            var texts = [command["abstract"] as? String, command["discussion"] as? String]
            for argument in command["arguments"] as? [[String: Any]] ?? [] where argument["shouldDisplay"] as? Bool != false {
                texts += [argument["abstract"] as? String, argument["discussion"] as? String]
                for names in argument["names"] as? [[String: Any]] ?? [] where names["kind"] as? String == "long" {
                    if let long = names["name"] as? String { options.insert("--" + long) }
                }
            }
            options.subtract(["--help", "--version"])
            commands.append(Command(name: name, path: path, options: options, texts: texts.compactMap { $0 }.filter { !$0.isEmpty }))
            for sub in command["subcommands"] as? [[String: Any]] ?? [] where sub["commandName"] as? String != "help" {
                walk(sub, path: path + [sub["commandName"] as? String ?? "?"])
            }
        }
        walk(root, path: [])
        return commands
    }

    /// The body of argument-parser's bash completion function for one subcommand.
    static func bashFunction(_ subcommand: String, in script: String) -> String {
        guard let start = script.range(of: "_modimg-queue_\(subcommand)() {") else { return "" }
        let rest = script[start.upperBound...]
        return String(rest[..<(rest.range(of: "\n}\n")?.lowerBound ?? rest.endIndex)])
    }
}
