import Foundation
import ModPortal
import Testing

/// `connectionsPerHost` requests can be in flight to one host at once (AsyncHTTPClient's own
/// default is 8, which made `work --concurrency 64` send 8 at a time).
@Suite struct ConnectionsPerHostTests {
    @Test func asManyRequestsAsAskedAreInFlightToOneHostAtOnce() async throws {
        let wanted = 12
        let server = try GateServer(needed: wanted)
        defer { server.stop() }
        let portal = HTTPPortalClient(
            baseURL: URL(string: "http://127.0.0.1:\(server.port)")!, apiKey: APIKey("gate-key"), connectionsPerHost: wanted)
        let answered = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<wanted {
                group.addTask { (try? await portal.add(mod: "gate-mod")) != nil }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        await portal.shutdown()
        #expect(answered == wanted)
    }
}

/// A loopback HTTP server that answers no request until `needed` requests are in flight at
/// once (or, after 30 s, answers each with a 503): whether they all succeed says whether the
/// client sent that many at once, without measuring any time.
private final class GateServer: @unchecked Sendable {
    let port: UInt16
    private let needed: Int
    private let listener: Int32
    private let condition = NSCondition()
    private var inFlight = 0
    private var open = false

    init(needed: Int) throws {
        self.needed = needed
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 128) == 0
                    && getsockname(listener, pointer, &length) == 0
            }
        }
        guard bound else {
            close(listener)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        self.listener = listener
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 { return }
            Thread.detachNewThread { [self] in serve(connection) }
        }
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        var pending = Data()
        while let request = readRequest(connection, &pending) {
            _ = request
            condition.lock()
            inFlight += 1
            if inFlight >= needed { open = true }
            condition.broadcast()
            let deadline = Date().addingTimeInterval(30)
            while !open && condition.wait(until: deadline) {}
            let released = open
            inFlight -= 1
            condition.unlock()
            let body = released ? #"{"upload_url": "http://127.0.0.1:\#(port)/upload/1"}"# : "{}"
            let head = "HTTP/1.1 \(released ? "200 OK" : "503 Service Unavailable")\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(body.utf8.count)\r\n\r\n"
            let answer = Array((head + body).utf8)
            guard answer.withUnsafeBytes({ send(connection, $0.baseAddress, $0.count, 0) }) == answer.count else { return }
        }
    }

    /// One request's head and body (by its Content-Length); nil at the end of the connection.
    private func readRequest(_ connection: Int32, _ pending: inout Data) -> Data? {
        let separator = Data("\r\n\r\n".utf8)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            if let end = pending.range(of: separator) {
                let head = String(decoding: pending[..<end.lowerBound], as: UTF8.self).lowercased()
                let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                if pending.count >= end.upperBound + length {
                    let request = pending[..<(end.upperBound + length)]
                    pending = Data(pending[(end.upperBound + length)...])
                    return Data(request)
                }
            }
            let got = recv(connection, &buffer, buffer.count, 0)
            if got <= 0 { return nil }
            pending.append(contentsOf: buffer[..<got])
        }
    }
}
