import Foundation

/// The simulator's configuration and lock-guarded state, shared by the routes and `PortalSimulator`.
final class SimStore: Sendable {
    let configuration: SimConfiguration
    private let world: Locked<SimWorld>
    private let base = Locked<String?>(nil)
    /// The uploaded images' bytes, served at their `url` and `thumbnail`.
    let assets = AssetStore()

    init(configuration: SimConfiguration) {
        self.configuration = configuration
        self.world = Locked(SimWorld(configuration: configuration))
    }

    /// Base URL of the running server (no trailing slash), used to build upload and asset URLs.
    var baseURL: String? {
        get { base.withLock { $0 } }
        set { base.withLock { $0 = newValue } }
    }

    // MARK: Requests

    /// Records a request (stamped with the time under the lock, so `at` follows arrival order)
    /// and decides how it is handled; `index` is its place in `recordedRequests`.
    func receive(
        call: SimCall?,
        method: String,
        path: String,
        authorization: String?
    ) -> (index: Int, admission: Admission) {
        let now = ContinuousClock.now
        return world.withLock { world in
            let request = RecordedRequest(
                call: call,
                method: method,
                path: path,
                authorization: authorization,
                at: Date().timeIntervalSince1970
            )
            let index = world.recorded.count
            return (index, world.receive(request, now: now))
        }
    }

    /// Notes the HTTP status the request at `index` of `recordedRequests` was answered with.
    func noteStatus(_ status: Int, ofRequest index: Int) {
        world.withLock { world in
            guard world.recorded.indices.contains(index) else { return }
            world.recorded[index].status = status
        }
    }

    func inject(_ response: CannedResponse, for call: SimCall) {
        world.withLock { $0.injected[call, default: []].append(response) }
    }

    var recordedRequests: [RecordedRequest] {
        world.withLock { $0.recorded }
    }

    var state: SimState {
        world.withLock { $0.snapshot }
    }

    // MARK: Mods

    enum ModStatus {
        case exists, unknown, forbidden
    }

    /// Forbidden mods exist (they belong to someone else); with no `knownMods`, every mod exists.
    func status(ofMod mod: String) -> ModStatus {
        if configuration.forbiddenMods.contains(mod) { return .forbidden }
        if let known = configuration.knownMods, !known.contains(mod) { return .unknown }
        return .exists
    }

    func exists(mod: String) -> Bool {
        status(ofMod: mod) != .unknown
    }

    // MARK: Galleries

    func gallery(of mod: String) -> [String] {
        world.withLock { $0.gallery.gallery(of: mod) }
    }

    /// The gallery `/full` shows now: behind by the listing lag, if there is one.
    func listing(of mod: String) -> [String] {
        let now = ContinuousClock.now
        return world.withLock { world in
            let listing = world.gallery.listing(of: mod, now: now)
            if listing.stale { world.trickCounts[.listingLag, default: 0] += 1 }
            return listing.ids
        }
    }

    func seed(mod: String, ids: [String]) {
        world.withLock { world in
            for id in ids { world.gallery.add(id, to: mod, countingUpload: false, at: nil) }
        }
    }

    /// Counts an answer shaped by `trick`.
    func count(_ trick: SimTrick) {
        world.withLock { $0.trickCounts[trick, default: 0] += 1 }
    }

    enum EditOutcome {
        case updated([String])
        case unknownID(String)
    }

    func edit(mod: String, ids: [String]) -> EditOutcome {
        let now = ContinuousClock.now
        return world.withLock { world in
            if let unknown = world.gallery.firstUnknownID(in: ids, of: mod) { return .unknownID(unknown) }
            world.gallery.setGallery(ids, of: mod, at: now)
            return .updated(ids)
        }
    }

    // MARK: Upload URLs

    /// A new single-use upload token bound to `mod`.
    func issueToken(for mod: String) -> String {
        let now = ContinuousClock.now
        return world.withLock { world in
            let token = world.random.hexToken()
            world.tokens.issue(token, for: mod, now: now, lifetimeSeconds: configuration.uploadURLLifetimeSeconds)
            return token
        }
    }

    /// The mod a live upload token is bound to, without using it up.
    func mod(ofToken token: String) -> String? {
        let now = ContinuousClock.now
        return world.withLock { $0.tokens.mod(of: token, now: now) }
    }

    enum UploadOutcome {
        case stored
        /// The token was used up, but the image was already in the gallery (the already-exists trick).
        case alreadyExists
        /// The token was unknown, used or expired.
        case tokenNotLive
    }

    /// Uses up the token and stores the image in its mod's gallery.
    func completeUpload(token: String, imageID: String) -> UploadOutcome {
        let now = ContinuousClock.now
        return world.withLock { world in
            guard let mod = world.tokens.consume(token, now: now) else { return .tokenNotLive }
            if configuration.tricks.alreadyExists, world.gallery.gallery(of: mod).contains(imageID) {
                world.trickCounts[.alreadyExists, default: 0] += 1
                return .alreadyExists
            }
            world.gallery.add(imageID, to: mod, countingUpload: true, at: now)
            return .stored
        }
    }
}
