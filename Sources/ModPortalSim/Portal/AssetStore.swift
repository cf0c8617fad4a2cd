import Foundation

/// The bytes of uploaded images, so the `url` and `thumbnail` the simulator answers with show
/// the image (the thumbnail is the image itself, not resized). Bounded: past `capacity` bytes
/// in all, further images are not kept and their URLs answer 404, so a benchmark's thousands of
/// uploads cost no memory beyond it.
final class AssetStore: Sendable {
    static let capacity = 64 * 1024 * 1024

    private struct Kept: Sendable {
        var images: [String: Data] = [:]
        var bytes = 0
    }

    private let kept = Locked(Kept())

    func hasRoom(for count: Int) -> Bool { kept.withLock { $0.bytes + count <= Self.capacity } }

    func keep(_ data: Data, id: String) {
        kept.withLock { kept in
            guard kept.images[id] == nil, kept.bytes + data.count <= Self.capacity else { return }
            kept.images[id] = data
            kept.bytes += data.count
        }
    }

    func image(id: String) -> Data? { kept.withLock { $0.images[id] } }
}
