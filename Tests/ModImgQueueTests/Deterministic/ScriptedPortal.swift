import Foundation
import ModPortal
import Synchronization

@testable import ModImgQueue

/// A portal whose answers a test scripts: by default `add` hands out a fresh `upload_url`,
/// the upload answers the file's SHA1, `edit` answers the ids asked for. A call can be held
/// at a gate (a request in flight while the process stalls) or answered with an error.
final class ScriptedPortal: PortalClient {
    enum Call: Equatable {
        case add(String)
        case upload(URL)
        case edit(String, [String])
        case gallery(String)
    }

    private struct State {
        var calls: [Call] = []
        var addCount = 0
        var addGate: CheckedContinuation<Void, Never>?
        var holdNextAdd = false
        var addErrors: [PortalError] = []
        var gallery: [String: [PortalImage]] = [:]
        var uploadedIDs: [String] = []
        var loseNextUploadAnswer = false
        var staleListings = 0
        var lastStored: (mod: String, id: String)?
    }

    private let state = Mutex(State())

    var calls: [Call] { state.withLock { $0.calls } }
    var uploads: Int { calls.filter { if case .upload = $0 { return true } else { return false } }.count }
    /// The SHA1 of the bytes of every upload, in order.
    var uploadedIDs: [String] { state.withLock { $0.uploadedIDs } }
    var adds: Int { calls.filter { if case .add = $0 { return true } else { return false } }.count }

    /// The next `add` is sent but its answer waits until `releaseAdd()`, whatever happens meanwhile.
    func holdNextAdd() { state.withLock { $0.holdNextAdd = true } }

    /// Whether an `add` is waiting at the gate.
    var addIsHeld: Bool { state.withLock { $0.addGate != nil } }

    func releaseAdd() {
        let gate = state.withLock { state -> CheckedContinuation<Void, Never>? in
            defer { state.addGate = nil }
            return state.addGate
        }
        gate?.resume()
    }

    func setGallery(mod: String, ids: [String]) {
        state.withLock { $0.gallery[mod] = ids.map { PortalImage(id: $0, url: "u", thumbnail: "t") } }
    }

    /// The next upload is stored in the gallery, but its answer is lost.
    func loseNextUploadAnswer() { state.withLock { $0.loseNextUploadAnswer = true } }

    /// The next `count` listings do not show the image stored last yet (a cached, lagging listing).
    func lagNextListings(_ count: Int) { state.withLock { $0.staleListings = count } }

    var listingReads: Int { calls.filter { if case .gallery = $0 { return true } else { return false } }.count }

    /// The next `add` calls fail with these errors, in order.
    func failNextAdds(with errors: [PortalError]) { state.withLock { $0.addErrors = errors } }

    func add(mod: String) async throws(PortalError) -> URL {
        let (hold, error, number) = state.withLock { state -> (Bool, PortalError?, Int) in
            state.calls.append(.add(mod))
            state.addCount += 1
            let hold = state.holdNextAdd
            state.holdNextAdd = false
            return (hold, state.addErrors.isEmpty ? nil : state.addErrors.removeFirst(), state.addCount)
        }
        if hold {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                state.withLock { $0.addGate = continuation }
            }
        }
        if let error { throw error }
        return URL(string: "https://mods.factorio.com/upload/\(mod)/\(number)")!
    }

    func upload(_ upload: ImageUpload, to uploadURL: URL) async throws(PortalError) -> PortalImage {
        state.withLock { $0.calls.append(.upload(uploadURL)) }
        guard let id = ImageFile.sha1(of: upload) else { throw .transport("unreadable file") }
        // The upload URLs handed out name their mod: .../upload/<mod>/<n>.
        let mod = uploadURL.deletingLastPathComponent().lastPathComponent
        let image = PortalImage(id: id, url: "https://assets-mod.factorio.com/assets/\(id).png", thumbnail: "t")
        let lose = state.withLock { state -> Bool in
            state.uploadedIDs.append(id)
            state.gallery[mod, default: []].append(image)
            state.lastStored = (mod, id)
            defer { state.loseNextUploadAnswer = false }
            return state.loseNextUploadAnswer
        }
        if lose { throw .transport("connection closed by the portal") }
        return image
    }

    func edit(mod: String, imageIDs: [String]) async throws(PortalError) -> [PortalImage] {
        state.withLock { $0.calls.append(.edit(mod, imageIDs)) }
        return imageIDs.map { PortalImage(id: $0, url: "u", thumbnail: "t") }
    }

    func gallery(mod: String) async throws(PortalError) -> [PortalImage] {
        state.withLock { state in
            state.calls.append(.gallery(mod))
            var listed = state.gallery[mod] ?? []
            if state.staleListings > 0, let last = state.lastStored, last.mod == mod {
                state.staleListings -= 1
                listed.removeAll { $0.id == last.id }
            }
            return listed
        }
    }
}
