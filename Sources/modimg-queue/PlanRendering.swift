import ModImgQueue
import ModPortal

/// The plan, mod by mod, as `enqueue` prints it.
enum PlanRendering {
    static func render(_ plan: EnqueuePlan, dryRun: Bool) -> String {
        var lines: [String] = []
        for mod in plan.mods {
            let files = mod.imageFiles
            let shown = { (id: String) in ImageNaming.shown(id: id, file: files[id]) }
            lines.append("\(mod.mod):")
            lines.append("  to upload (\(mod.toUpload.count)): " + list(mod.toUpload.map { name($0.path) }))
            let there = mod.alreadyThere.map { "\(name($0.file.path)) (\($0.source))" }
                + mod.alreadyQueued.map { "\(name($0.file.path)) (queued as job \($0.job))" }
            lines.append("  already there (\(there.count)): " + list(there))
            switch mod.reorder {
            case .queue:
                let kept = mod.prune ? "" : " + images already in the gallery and not listed, read just before the edit"
                lines.append("  final order: " + list(mod.finalOrder.map(shown)) + (mod.currentGallery == nil ? kept : ""))
            case .alreadyQueued(let job):
                lines.append("  final order: already queued as job \(job)")
            case .notNeeded:
                lines.append("  final order: the gallery is already in this order")
            }
            lines.append("  to prune (\(mod.toPrune.count)): " + list(mod.toPrune.map(shown)))
            lines += leftOut(mod.leftOut, indent: "  ")
        }
        lines += leftOut(plan.leftOut, indent: "")
        let uploads = plan.mods.map(\.toUpload.count).reduce(0, +)
        let reorders = plan.mods.filter { $0.reorder == .queue }.count
        lines.append(
            (dryRun ? "dry run: would queue " : "plan: ")
                + "\(uploads) upload\(uploads == 1 ? "" : "s") and \(reorders) reorder\(reorders == 1 ? "" : "s") for \(plan.mods.count) mod\(plan.mods.count == 1 ? "" : "s")")
        return lines.joined(separator: "\n")
    }

    /// `left out (n):`, then one line per file with its reason; nothing when none is.
    private static func leftOut(_ files: [LeftOutFile], indent: String) -> [String] {
        guard !files.isEmpty else { return [] }
        return ["\(indent)left out (\(files.count)):"]
            + files.map { "\(indent)  \($0.name)\($0.reason == .noImages ? "/" : ""): \($0.explanation)" }
    }

    private static func list(_ items: [String]) -> String { items.isEmpty ? "-" : items.joined(separator: ", ") }
    private static func name(_ path: String) -> String {
        PortalText.sanitized(path.split(separator: "/").last.map(String.init) ?? path, limit: 200)
    }
}
