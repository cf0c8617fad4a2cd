import AsyncHTTPClient
import Foundation
import ModImgVersion
import NIOCore
import NIOHTTP1
import NIOPosix

/// The portal over HTTP. The key travels only on `add` and `edit`, never to `upload_url`,
/// and redirects are not followed, so it cannot be carried to another host.
public final class HTTPPortalClient: PortalClient {
    public struct Timeouts: Sendable {
        public var connect: Double = 10
        /// For `add`, `edit` and the public listing.
        public var request: Double = 60
        /// For an upload: this much plus one second per 256 KiB of image.
        public var uploadBase: Double = 120
        public init() {}
    }

    public static let userAgent = "modimg-queue/\(ModImgVersion.current) (+https://github.com/modimg-queue; not affiliated with Wube Software)"

    public let baseURL: URL
    private let apiKey: APIKey?
    private let timeouts: Timeouts
    private let client: HTTPClient
    private let uploadPolicy: UploadURLPolicy

    /// A refused connection or an unknown host fails the call at once as `.unreachable` (the
    /// worker's backoff decides when to try again; `enqueue` and `verify` say so and stop). With
    /// `retryingConnections`, AsyncHTTPClient keeps redialling, with backoff, until the deadline.
    /// `connectionsPerHost`: how many requests may be in flight to one host at once (AsyncHTTPClient
    /// queues the others); `work --concurrency N` asks for N, so that N slots mean N requests.
    public init(
        baseURL: URL, apiKey: APIKey?, timeouts: Timeouts = Timeouts(), retryingConnections: Bool = false,
        connectionsPerHost: Int = 8
    ) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.timeouts = timeouts
        self.uploadPolicy = UploadURLPolicy(portalBaseURL: baseURL)
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(
                connect: .clamped(seconds: timeouts.connect),
                read: .clamped(seconds: timeouts.request)),
            decompression: .disabled)
        configuration.httpVersion = .http1Only
        configuration.connectionPool.retryConnectionEstablishment = retryingConnections
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(1, connectionsPerHost)
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Closes the connection pool. Call once, when done.
    public func shutdown() async {
        try? await client.shutdown()
    }

    private func endpoint(_ path: String) -> String {
        var base = baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        return base + path
    }

    /// A multipart POST to one of the two calls that carry the key.
    private func authorizedForm(_ path: String, fields: [(name: String, value: String)]) throws(PortalError)
        -> HTTPClientRequest
    {
        guard let apiKey else { throw .missingApiKey }
        let form = MultipartForm()
        var request = HTTPClientRequest(url: endpoint(path))
        request.method = .POST
        request.headers.add(name: "Authorization", value: apiKey.bearerHeader)
        request.headers.add(name: "Content-Type", value: form.contentType)
        request.body = .bytes(ByteBuffer(bytes: form.body(fields: fields)))
        return request
    }

    public func add(mod: String) async throws(PortalError) -> URL {
        let request = try authorizedForm("/api/v2/mods/images/add", fields: [("mod", mod)])
        let body: ResponseDecoding.AddBody = try await send(request, timeout: timeouts.request)
        guard let url = URL(string: body.upload_url), url.host != nil else {
            throw .malformedResponse(httpStatus: 200, detail: "upload_url is not a URL")
        }
        guard uploadPolicy.allows(url) else { throw .foreignUploadURL(url.host ?? body.upload_url) }
        return url
    }

    public func upload(_ upload: ImageUpload, to uploadURL: URL) async throws(PortalError) -> PortalImage {
        guard uploadPolicy.allows(uploadURL) else { throw .foreignUploadURL(uploadURL.host ?? "?") }
        let form = MultipartForm()
        let prefix = form.filePrefix(field: "image", fileName: upload.fileName, contentType: upload.contentType)
        let suffix = form.fileSuffix
        var request = HTTPClientRequest(url: uploadURL.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: form.contentType)
        let stream = MultipartFileStream(prefix: prefix, file: upload.file, size: upload.size, sha1: upload.sha1, suffix: suffix)
        request.body = .stream(stream, length: .known(Int64(prefix.count + suffix.count) + upload.size))
        let timeout = timeouts.uploadBase + Double(upload.size) / 262_144
        do {
            return try await send(request, timeout: timeout) as PortalImage
        } catch {
            switch error {
            // The key never travels to an upload_url, so a key error there says the URL itself is
            // no good for this job: a spent URL, not a refused key.
            case .api(let code, let message, let status, _)
            where code == PortalErrorCode.invalidRequest.rawValue || code == PortalErrorCode.invalidApiKey.rawValue:
                throw .uploadURLNotValid(httpStatus: status, message: message)
            case .malformedResponse(let status, let detail) where status == 404 || status == 410:
                throw .uploadURLNotValid(httpStatus: status, message: detail)
            default:
                throw error
            }
        }
    }

    public func edit(mod: String, imageIDs: [String]) async throws(PortalError) -> [PortalImage] {
        let request = try authorizedForm(
            "/api/v2/mods/images/edit", fields: [("mod", mod), ("images", imageIDs.joined(separator: ","))])
        let body: ResponseDecoding.EditBody = try await send(request, timeout: timeouts.request)
        guard body.success else { throw .malformedResponse(httpStatus: 200, detail: "edit answered success=false") }
        return body.images
    }

    public func gallery(mod: String) async throws(PortalError) -> [PortalImage] {
        let escaped = mod.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? mod
        // The public listing is cached and lags behind writes: ask past the cache.
        var request = HTTPClientRequest(url: endpoint("/api/mods/\(escaped)/full") + "?fresh=\(UInt64.random(in: 0...UInt64.max))")
        request.method = .GET
        let secrets = self.secrets
        do {
            let (status, retryAfter, body) = try await exchange(request, timeout: timeouts.request)
            return try ResponseDecoding.decodeListing(
                status: status, retryAfterHeader: retryAfter, body: SecretRedaction.redacted(body, secrets: secrets), redacting: secrets)
        } catch {
            throw error.redacting(secrets)
        }
    }

    /// One call, its answer decoded; the key in use (and any other credential) is taken out of
    /// the answer before anything is read from it, whatever the portal or a proxy echoes.
    private func send<T: Decodable>(_ request: HTTPClientRequest, timeout: Double) async throws(PortalError) -> T {
        let secrets = self.secrets
        do {
            let (status, retryAfter, body) = try await exchange(request, timeout: timeout)
            return try ResponseDecoding.decode(
                T.self, status: status, retryAfterHeader: retryAfter, body: SecretRedaction.redacted(body, secrets: secrets),
                redacting: secrets)
        } catch {
            throw error.redacting(secrets)
        }
    }

    private var secrets: [String] { apiKey.map { [$0.secret] } ?? [] }

    /// One request: its status, its `Retry-After` header and its body, all of it within
    /// `timeout` seconds (AsyncHTTPClient's own deadline ends when the headers arrive; a body
    /// that drips must not hold the call past it).
    private func exchange(_ request: HTTPClientRequest, timeout: Double) async throws(PortalError) -> (Int, String?, Data) {
        var request = request
        request.headers.replaceOrAdd(name: "User-Agent", value: Self.userAgent)
        request.headers.replaceOrAdd(name: "Accept", value: "application/json")
        let seconds = timeout.isFinite ? min(max(timeout, 0.001), 86_400) : 86_400
        let client = self.client
        let finalRequest = request
        do {
            return try await withThrowingTaskGroup(of: (Int, String?, Data)?.self) { group in
                group.addTask {
                    let response = try await client.execute(finalRequest, timeout: .clamped(seconds: seconds))
                    let buffer = try await response.body.collect(upTo: 4 * 1024 * 1024)
                    return (Int(response.status.code), response.headers.first(name: "Retry-After"), Data(buffer.readableBytesView))
                }
                group.addTask {
                    try await Task.sleep(for: .clamped(seconds: seconds))
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let answer = first else { throw DeadlinePassed() }
                return answer
            }
        } catch is DeadlinePassed {
            throw .transport("timed out: no complete answer within \(Self.format(seconds)) s")
        } catch let changed as MultipartFileStream.ChangedWhileSending {
            // AsyncHTTPClient failed the request with the body's own error and closed the connection.
            throw .fileChangedWhileSending(readSHA1: changed.readSHA1, bytesRead: changed.bytesRead)
        } catch let error as HTTPClientError {
            throw .transport(Self.describe(error))
        } catch let error as NIOConnectionError {
            throw .unreachable(TransportFailure.describe(error))
        } catch let error as IOError where TransportFailure.unreachableErrnos.contains(error.errnoCode) {
            throw .unreachable(TransportFailure.describe(error, host: Self.hostAndPort(of: finalRequest.url)))
        } catch is SocketAddressError.UnknownHost {
            throw .unreachable("the host name does not resolve")
        } catch {
            throw .transport(TransportFailure.describe(error, host: Self.hostAndPort(of: finalRequest.url)))
        }
    }

    private struct DeadlinePassed: Error {}

    /// `host:port` of a request's URL, for error sentences.
    private static func hostAndPort(of url: String) -> String {
        guard let components = URLComponents(string: url), let host = components.host else { return url }
        return components.port.map { "\(host):\($0)" } ?? host
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(seconds.wholeClamped()) : String(format: "%.1f", seconds)
    }

    private static func describe(_ error: HTTPClientError) -> String {
        switch error {
        case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout: return "timed out (\(error))"
        case .remoteConnectionClosed: return "connection closed by the portal"
        default: return String(describing: error)
        }
    }
}
