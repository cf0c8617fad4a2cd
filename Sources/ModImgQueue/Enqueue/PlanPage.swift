import Foundation

/// The plan of `enqueue --dry-run --html` as one standalone page: per mod, the gallery as it
/// will end, in order, as thumbnails, each marked "to upload", "already there" or "queued",
/// then the images the reorder prunes. Local files are linked by `file://` so the page opens
/// offline; an image known only to the portal shows the thumbnail its history recorded, or
/// its short id. No script, no external style sheet.
public enum PlanPage {
    /// One picture of the page, in gallery order.
    struct Card: Equatable {
        enum Mark: String { case toUpload = "to upload", alreadyThere = "already there", queued, toPrune = "to prune" }
        let mark: Mark
        let caption: String
        let detail: String
        /// A `file://` or http(s) address, or nil for none known.
        let source: String?
    }

    /// `thumbnails`: a portal thumbnail address per image id, from this database's history;
    /// `offline`: the plan was made without reading the portal's listings.
    public static func html(_ plan: EnqueuePlan, thumbnails: [String: String], offline: Bool = false, generatedAt: Date = Date()) -> String {
        var body = ""
        let uploads = plan.mods.map(\.toUpload.count).reduce(0, +)
        body += "<h1>enqueue plan</h1>\n<p class=\"summary\">\(uploads) upload\(uploads == 1 ? "" : "s") for "
            + "\(plan.mods.count) mod\(plan.mods.count == 1 ? "" : "s"), \(plan.requestCount) requests to the portal; "
            + "planned \(HTML.escape(ISO8601DateFormatter().string(from: generatedAt))), nothing queued yet.</p>\n"
        if offline {
            body += "<p class=\"note\">Planned offline, from this database's history: the portal's galleries were not read.</p>\n"
        } else if !plan.unreachableGalleries.isEmpty {
            body += "<p class=\"warning\">Could not read the gallery of \(HTML.escape(plan.unreachableGalleries.joined(separator: ", "))); "
                + "planned from this database's history.</p>\n"
        }
        for mod in plan.mods {
            body += section(mod, thumbnails: thumbnails)
        }
        if !plan.leftOut.isEmpty {
            body += "<section>\n" + leftOut(plan.leftOut) + "</section>\n"
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            \(generatorMarker)
            <title>enqueue plan</title>
            <style>\(style)</style>
            </head>
            <body>
            \(body)</body>
            </html>

            """
    }

    static func section(_ mod: ModPlan, thumbnails: [String: String]) -> String {
        var html = "<section>\n<h2>\(HTML.escape(mod.mod))</h2>\n<p class=\"counts\">\(mod.toUpload.count) to upload, "
            + "\(mod.alreadyThere.count + mod.alreadyQueued.count) already there or queued, \(mod.toPrune.count) to prune. "
        switch mod.reorder {
        case .queue: html += "A reorder is queued after the uploads."
        case .alreadyQueued(let job): html += "The reorder is already queued as job \(job)."
        case .notNeeded: html += "The gallery is already in this order."
        }
        html += "</p>\n<ol class=\"gallery\">\n"
        html += cards(mod, thumbnails: thumbnails).enumerated().map { card($1, position: $0 + 1) }.joined()
        html += "</ol>\n"
        if mod.currentGallery == nil && !mod.prune {
            html += "<p class=\"note\">Then any image already in the gallery and not listed, read just before the reorder.</p>\n"
        }
        let pruned = mod.toPrune.map { id in
            Card(
                mark: .toPrune, caption: mod.knownFiles[id].map(name) ?? String(id.prefix(12)),
                detail: "\(id.prefix(12)) (removed by the reorder)", source: thumbnails[id])
        }
        if !pruned.isEmpty {
            html += "<h3>to prune</h3>\n<ol class=\"gallery\">\n" + pruned.map { card($0) }.joined() + "</ol>\n"
        }
        return html + leftOut(mod.leftOut) + "</section>\n"
    }

    /// The files not queued, each with its reason; nothing when none is.
    static func leftOut(_ files: [LeftOutFile]) -> String {
        guard !files.isEmpty else { return "" }
        let items = files.map { file in
            let name = file.name + (file.reason == .noImages ? "/" : "")
            return "<li><span class=\"name\">\(HTML.escape(name))</span>: \(HTML.escape(file.explanation))</li>\n"
        }
        return "<h3 class=\"left-out\">left out (\(files.count))</h3>\n<ul class=\"left-out\">\n" + items.joined() + "</ul>\n"
    }

    /// The mod's final gallery, in order, each image with its mark and picture.
    static func cards(_ mod: ModPlan, thumbnails: [String: String]) -> [Card] {
        var byID: [String: Card] = [:]
        for file in mod.toUpload {
            byID[file.sha1] = Card(mark: .toUpload, caption: name(file.path), detail: String(file.sha1.prefix(12)), source: fileURL(file.path))
        }
        for (file, source) in mod.alreadyThere where byID[file.sha1] == nil {
            byID[file.sha1] = Card(
                mark: .alreadyThere, caption: name(file.path), detail: "\(file.sha1.prefix(12)) (\(source))", source: fileURL(file.path))
        }
        for (file, job) in mod.alreadyQueued where byID[file.sha1] == nil {
            byID[file.sha1] = Card(
                mark: .queued, caption: name(file.path), detail: "\(file.sha1.prefix(12)) (job \(job))", source: fileURL(file.path))
        }
        return mod.finalOrder.map { id in
            byID[id]
                ?? Card(
                    mark: .alreadyThere, caption: mod.knownFiles[id].map(name) ?? String(id.prefix(12)),
                    detail: "\(id.prefix(12)) (in the gallery, not listed)", source: thumbnails[id])
        }
    }

    /// One card; `position`, its place in the final gallery (none for a pruned image).
    static func card(_ card: Card, position: Int? = nil) -> String {
        let picture =
            card.source.flatMap(safeSource).map { "<img src=\"\(HTML.escape($0))\" alt=\"\(HTML.escape(card.caption))\" loading=\"lazy\">" }
            ?? "<div class=\"none\">no picture</div>"
        let kind = card.mark.rawValue.replacingOccurrences(of: " ", with: "-")
        let place = position.map { "\($0). " } ?? ""
        return "<li class=\"\(kind)\">\(picture)<span class=\"mark\">\(place)\(card.mark.rawValue)</span>"
            + "<span class=\"name\">\(HTML.escape(card.caption))</span><span class=\"id\">\(HTML.escape(card.detail))</span></li>\n"
    }

    /// Only `file:`, `http:` and `https:` addresses become a picture's source.
    static func safeSource(_ address: String) -> String? {
        let lower = address.lowercased()
        return ["file:", "http:", "https:"].contains(where: lower.hasPrefix) ? address : nil
    }

    static func fileURL(_ path: String) -> String { URL(fileURLWithPath: path).absoluteString }

    static func name(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }

    static let style = """
        body{font-family:system-ui,sans-serif;margin:1rem;color:#222;background:#fafafa}
        h1{font-size:1.4rem}h2{font-size:1.15rem;margin:1.5rem 0 .3rem}h3{font-size:1rem;color:#a00}
        .summary,.counts,.note{color:#555}.warning{color:#a00}
        ol.gallery{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:.6rem}
        ol.gallery li{background:#fff;border:2px solid #ccc;border-radius:6px;padding:.3rem;display:flex;flex-direction:column;font-size:.8rem}
        ol.gallery img,.none{width:100%;aspect-ratio:16/10;object-fit:contain;background:#eee}
        .none{display:flex;align-items:center;justify-content:center;color:#888}
        .mark{font-weight:bold}.name{overflow-wrap:anywhere}.id{color:#666;font-family:monospace}
        li.to-upload{border-color:#2a7}li.to-upload .mark{color:#2a7}
        li.queued{border-color:#27a}li.queued .mark{color:#27a}
        li.to-prune{border-color:#c33}li.to-prune .mark{color:#c33}
        h3.left-out{color:#555}ul.left-out{color:#555;font-size:.9rem}
        """
}

/// Why the plan page could not be written.
public struct PlanPageError: Error, CustomStringConvertible {
    public let description: String
}

extension PlanPage {
    /// What marks a page as one this command wrote: the only file `--html` replaces.
    static let generatorMarker = "<meta name=\"generator\" content=\"modimg-queue plan\">"

    /// Refuses, before anything is planned, an output path whose folder does not exist or is
    /// not writable, that names a folder, or that names an existing file other than an earlier
    /// plan page (a queue database, an image: `--html` overwrites nothing else).
    public static func checkDestination(_ path: String) throws(PlanPageError) {
        let folder = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw PlanPageError(description: "cannot write the plan page \(path): the folder \(folder) does not exist; create it or choose another path")
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw PlanPageError(description: "cannot write the plan page \(path): it is a folder; name a file, e.g. \(path)/plan.html")
        }
        guard FileManager.default.isWritableFile(atPath: folder) else {
            throw PlanPageError(description: "cannot write the plan page \(path): the folder \(folder) is not writable; choose another path")
        }
        try checkNotOverwritingOtherThanAPlanPage(path)
    }

    /// Refuses `path` if something is there that is not a plan page (a dangling symbolic link included).
    static func checkNotOverwritingOtherThanAPlanPage(_ path: String) throws(PlanPageError) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        // Opened only if a regular file: opening a FIFO would wait for a writer.
        let isRegular = stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
        let handle = isRegular ? FileHandle(forReadingAtPath: path) : nil
        let head = handle.map { (try? $0.read(upToCount: 1024)) ?? Data() }
        try? handle?.close()
        if let head, head.range(of: Data(generatorMarker.utf8)) != nil { return }
        throw PlanPageError(
            description: "cannot write the plan page \(path): it already holds \(describe(head)), not a plan page this command wrote; "
                + "choose another path (--html replaces only an earlier plan page)")
    }

    /// What a file that is not a plan page seems to be, by its first bytes.
    private static func describe(_ head: Data?) -> String {
        guard let head else { return "something that is not a readable file" }
        if head.starts(with: Data("SQLite format 3\u{0}".utf8)) { return "an SQLite database" }
        if let format = ImageFile.detectFormat(head) { return "a \(format.rawValue.uppercased()) image" }
        return head.isEmpty ? "an empty file" : "other content"
    }

    /// Writes `html` to `path` whole or not at all (a temporary file renamed into place), if
    /// nothing but an earlier plan page is there.
    public static func write(_ html: String, to path: String) throws(PlanPageError) {
        try checkNotOverwritingOtherThanAPlanPage(path)
        do {
            try Data(html.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw PlanPageError(description: "cannot write the plan page \(path): \(error.localizedDescription); choose another path")
        }
    }
}
