import AsyncHTTPClient
import Foundation
import ModImgDashboard
import ModImgQueue
import TestSupport
import Testing

/// Where `serve` listens, and what it refuses.
@Suite struct ServeCommandTests {
    @Test func withoutAHostTheAddressIsLoopbackWhateverThePort() throws {
        for port in [0, 80, BindAddress.defaultPort, 65_535] {
            let address = try BindAddress(port: port)
            #expect(address.host == "127.0.0.1")
            #expect(address.isLoopback)
            #expect(address.exposureWarning == nil)
        }
        #expect(try BindAddress().port == 8377)
    }

    @Test func anyOtherHostMustBeNamedAndIsWarnedAbout() throws {
        for host in ["0.0.0.0", "192.168.1.20", "::", "example.org", "128.0.0.1", "127.0.0.1.evil"] {
            let address = try BindAddress(host: host, port: 0)
            #expect(!address.isLoopback, "\(host)")
            #expect(address.exposureWarning?.contains("plain HTTP beyond this machine") == true)
        }
        for host in ["localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]"] {
            #expect(try BindAddress(host: host, port: 0).isLoopback, "\(host)")
        }
        #expect(throws: BindAddress.Problem.emptyHost) { try BindAddress(host: " ", port: 0) }
        #expect(throws: BindAddress.Problem.portOutOfRange(70_000)) { try BindAddress(port: 70_000) }
    }

    @Test func serveRefusesBadArgumentsAndAMissingQueueWithoutCreatingIt() async throws {
        let dir = try TemporaryDirectory("serve-args")
        let missing = dir.file("nothing.sqlite3")
        let noQueue = try await CommandRunner.run(Binaries.modimgQueue, ["serve", "--port", "0", "--db", missing])
        #expect(noQueue.status == 1)
        #expect(noQueue.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: missing))
        for arguments in [["--host", ""], ["--port", "-1"], ["--port", "65536"], ["--port", "http"]] {
            let result = try await CommandRunner.run(Binaries.modimgQueue, ["serve", "--db", missing] + arguments)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
    }

    @Test func theURLIsTheFirstLineAndLoopbackIsTheDefault() async throws {
        let dir = try TemporaryDirectory("serve-url")
        let db = dir.file("queue.sqlite3")
        _ = try QueueDatabase.open(path: db)
        let serve = try ServeProcess(db: db)
        #expect(serve.url.hasPrefix("http://127.0.0.1:"))
        #expect(serve.printedURL.wholeMatch(of: /http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}/) != nil, "\(serve.printedURL)")
        let page = try await httpGet(serve.url, cookie: try await serve.signIn())
        #expect(page.status == 200)
        #expect(page.body.contains("The queue is empty."))
        #expect(serve.stop() == 0)
        #expect(!serve.stderr.contains("warning"))
    }

    @Test func aPortInUseIsOneSentenceNotTheSystemCall() async throws {
        let dir = try TemporaryDirectory("serve-busy")
        let db = dir.file("queue.sqlite3")
        _ = try QueueDatabase.open(path: db)
        let first = try ServeProcess(db: db)
        let port = try #require(URL(string: first.url)?.port)
        let second = try await CommandRunner.run(Binaries.modimgQueue, ["serve", "--port", "\(port)", "--db", db])
        #expect(first.stop() == 0)
        #expect(second.status == 1)
        #expect(second.stderr == "modimg-queue: cannot serve on 127.0.0.1 port \(port): another program is listening there; stop it or pick another port with --port (0 picks a free one).\n")
    }

    @Test func aNonLoopbackHostPrintsTheWarning() async throws {
        let dir = try TemporaryDirectory("serve-host")
        let db = dir.file("queue.sqlite3")
        _ = try QueueDatabase.open(path: db)
        let serve = try ServeProcess(db: db, arguments: ["--host", "0.0.0.0"])
        #expect(serve.url.hasPrefix("http://0.0.0.0:"))
        #expect(serve.stop() == 0)
        #expect(serve.stderr.contains("warning: the dashboard at 0.0.0.0 is served over plain HTTP beyond this machine"))
    }
}

/// A loopback dashboard answers only requests that name a loopback host (no DNS rebinding).
@Suite struct HostCheckTests {
    func get(_ url: String, host: String?, cookie: String = "") async throws -> UInt {
        var request = HTTPClientRequest(url: url)
        if let host { request.headers.replaceOrAdd(name: "Host", value: host) }
        request.headers.add(name: "Cookie", value: cookie)
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 1 << 20)
        return response.status.code
    }

    @Test func aRequestNamingAnotherHostIsRefusedOnLoopback() async throws {
        let dir = try TemporaryDirectory("serve-rebinding")
        let db = dir.file("queue.sqlite3")
        _ = try QueueDatabase.open(path: db)
        let serve = try ServeProcess(db: db)
        defer { serve.stop() }
        let port = try #require(URL(string: serve.url)?.port)
        // The cookie under its name for this port, and under the name for a Host without one.
        let session = try await serve.signIn()
        let cookie = session + "; modimg_session=" + (session.split(separator: "=").last ?? "")
        for host in ["127.0.0.1:\(port)", "localhost:\(port)", "[::1]:\(port)", "localhost"] {
            #expect(try await get(serve.url, host: host, cookie: cookie) == 200, "\(host)")
        }
        for host in ["attacker.example:\(port)", "attacker.example", "127.0.0.1.attacker.example:\(port)", "0.0.0.0:\(port)"] {
            #expect(try await get(serve.url, host: host) == 403, "\(host)")
            #expect(try await get(serve.url + "api/status", host: host) == 403, "\(host)")
        }
    }
}
