/// How a mod's live gallery differs from what the queue did to it.
public struct GalleryDrift: Sendable, Equatable {
    public let mod: String
    /// Images the queue expects (uploaded, or set by its edits, and not taken out since) that the
    /// portal does not show, in the expected order.
    public var missingOnPortal: [String] = []
    /// Images the portal shows that the queue never uploaded, set or took out, in gallery order.
    public var unknownToHistory: [String] = []
    /// Images the portal shows more than once.
    public var duplicatedOnPortal: [String] = []
    /// The gallery is not in the order the queue's last edit set (later uploads after it), an
    /// image an edit took out is back, or an image is shown twice.
    public var orderDiffers = false

    public init(mod: String) {
        self.mod = mod
    }

    public var inSync: Bool { missingOnPortal.isEmpty && unknownToHistory.isEmpty && !orderDiffers }
}

/// Compares a mod's live gallery with the gallery this queue expects (`GalleryModel`). Pure: no I/O.
public enum GalleryComparison {
    public static func compare(portal: [String], model: GalleryModel) -> GalleryDrift {
        var drift = GalleryDrift(mod: model.mod)
        var onPortal: Set<String> = []
        var shown: [String] = []
        for id in portal.map({ $0.lowercased() }) {
            if onPortal.insert(id).inserted {
                shown.append(id)
            } else if !drift.duplicatedOnPortal.contains(id) {
                drift.duplicatedOnPortal.append(id)
            }
        }
        let expected = model.images
        let expectedSet = Set(expected)
        drift.missingOnPortal = expected.filter { !onPortal.contains($0) }
        drift.unknownToHistory = shown.filter { !model.knows($0) }
        // The order is checked once an edit of this queue set it; uploads alone only append.
        let outOfOrder = model.orderSet && shown.filter { expectedSet.contains($0) } != expected.filter { onPortal.contains($0) }
        drift.orderDiffers = !drift.duplicatedOnPortal.isEmpty || outOfOrder || shown.contains { model.removed.contains($0) }
        return drift
    }
}
