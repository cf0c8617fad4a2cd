import Foundation

/// One image as the portal describes it: its SHA1 id and where it is served.
public struct PortalImage: Codable, Sendable, Equatable {
    /// The image's SHA1, always in lower-case hex, whatever case the portal answered.
    public let id: String
    public let url: String
    public let thumbnail: String

    /// Everything is kept as safe text: the portal's answer reaches terminals through `history`.
    public init(id: String, url: String, thumbnail: String) {
        self.id = PortalText.sanitized(id, limit: 128).lowercased()
        self.url = PortalText.sanitized(url, limit: 2048)
        self.thumbnail = PortalText.sanitized(thumbnail, limit: 2048)
    }

    private enum CodingKeys: String, CodingKey { case id, url, thumbnail }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decode(String.self, forKey: .id), url: try container.decode(String.self, forKey: .url),
            thumbnail: try container.decode(String.self, forKey: .thumbnail))
    }
}

/// The bytes to send to an `upload_url`: the first `size` bytes of one open file, read in
/// chunks (never a path, which could name another file by the time it is read), and sent only
/// if they hash to `sha1`.
public struct ImageUpload: Sendable {
    public let file: OpenFile
    public let size: Int64
    /// The SHA1 the bytes must have (lower-case hex): the upload hashes what it reads as it
    /// streams and cuts the request off before its end if they do not
    /// (`PortalError.fileChangedWhileSending`), so nothing else can be stored.
    public let sha1: String
    /// The name sent in the multipart part; the portal keeps only the bytes.
    public let fileName: String
    public let contentType: String

    public init(file: OpenFile, size: Int64, sha1: String, fileName: String, contentType: String) {
        self.file = file
        self.size = size
        self.sha1 = sha1
        self.fileName = fileName
        self.contentType = contentType
    }
}

/// The portal's calls, as the worker needs them. `HTTPPortalClient` is the real one.
public protocol PortalClient: Sendable {
    /// `POST /api/v2/mods/images/add`: reserves an upload and answers its `upload_url`.
    func add(mod: String) async throws(PortalError) -> URL
    /// `POST <upload_url>` with the file in field `image`: answers the stored image.
    func upload(_ upload: ImageUpload, to uploadURL: URL) async throws(PortalError) -> PortalImage
    /// `POST /api/v2/mods/images/edit`: sets the gallery to exactly these ids, in this order.
    func edit(mod: String, imageIDs: [String]) async throws(PortalError) -> [PortalImage]
    /// `GET /api/mods/<name>/full`: the mod's gallery as the public sees it.
    func gallery(mod: String) async throws(PortalError) -> [PortalImage]
}
