import Foundation
import ModImgQueue
import ModPortal

/// A portal that answers at once, so a worker run measures the queue store alone.
struct InstantPortal: PortalClient {
    let base = URL(string: "http://127.0.0.1:9")!

    func add(mod: String) async throws(PortalError) -> URL {
        base.appendingPathComponent("api/v2/mods/images/upload/\(mod)")
    }

    func upload(_ upload: ImageUpload, to uploadURL: URL) async throws(PortalError) -> PortalImage {
        guard let id = ImageFile.sha1(of: upload) else { throw .transport("unreadable") }
        return PortalImage(id: id, url: "\(base)/assets/\(id).png", thumbnail: "\(base)/assets/\(id).thumb.png")
    }

    func edit(mod: String, imageIDs: [String]) async throws(PortalError) -> [PortalImage] {
        imageIDs.map { PortalImage(id: $0, url: "\(base)/assets/\($0).png", thumbnail: "\(base)/assets/\($0).thumb.png") }
    }

    func gallery(mod: String) async throws(PortalError) -> [PortalImage] { [] }
}
