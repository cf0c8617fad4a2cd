/// Every mod's gallery, the ids ever uploaded to it, and how often each id was uploaded.
struct GalleryStore: Sendable {
    private(set) var galleries: [String: [String]] = [:]
    /// Ids ever uploaded (or seeded) per mod; `edit` may use any of them and never shrinks this set.
    private(set) var knownIDs: [String: Set<String>] = [:]
    private(set) var uploadsPerImage: [String: [String: Int]] = [:]

    func gallery(of mod: String) -> [String] {
        galleries[mod] ?? []
    }

    /// Appends `id` to the mod's gallery unless it is already there, and remembers it as known.
    mutating func add(_ id: String, to mod: String, countingUpload: Bool) {
        knownIDs[mod, default: []].insert(id)
        if !galleries[mod, default: []].contains(id) {
            galleries[mod, default: []].append(id)
        }
        if countingUpload {
            uploadsPerImage[mod, default: [:]][id, default: 0] += 1
        }
    }

    /// The first id of `ids` never uploaded to `mod`, if any.
    func firstUnknownID(in ids: [String], of mod: String) -> String? {
        let known = knownIDs[mod] ?? []
        return ids.first { !known.contains($0) }
    }

    mutating func setGallery(_ ids: [String], of mod: String) {
        galleries[mod] = ids
    }
}
