/// What brings a drifted gallery back to the one this queue expects, as `verify` proposes it.
/// Pure: built from the drift and the model alone.
public struct DriftRepair: Sendable, Equatable {
    /// The `modimg-queue` arguments (after the program name) that set the gallery right, or nil
    /// when no command of this queue can (only images gone from the portal are wrong).
    public var arguments: [String]?
    /// Images the queue expects that the portal lost: no command re-adds them (`upload` and
    /// `enqueue` take an image in the history as uploaded), so they are named for the user to
    /// upload again through the portal.
    public var lost: [String]

    public init(arguments: [String]?, lost: [String]) {
        self.arguments = arguments
        self.lost = lost
    }

    /// Nil when the gallery is in sync. Otherwise: with the order off (or an image shown twice,
    /// or one an edit took out back), a `reorder` to the expected gallery of the images still
    /// there, with `--prune` as it takes out whatever else the portal shows; with only images unknown to the history, a `remove` of those; and the lost images.
    public static func of(_ drift: GalleryDrift, model: GalleryModel) -> DriftRepair? {
        guard !drift.inSync else { return nil }
        let lost = drift.missingOnPortal
        let gone = Set(lost)
        let kept = model.images.filter { !gone.contains($0) }
        let strangers = drift.unknownToHistory
        var arguments: [String]?
        if drift.orderDiffers || !drift.duplicatedOnPortal.isEmpty {
            arguments = kept.isEmpty ? (strangers.isEmpty ? nil : ["remove", drift.mod] + strangers) : ["reorder", drift.mod] + kept + ["--prune"]
        } else if !strangers.isEmpty {
            arguments = ["remove", drift.mod] + strangers
        }
        return DriftRepair(arguments: arguments, lost: lost)
    }
}
