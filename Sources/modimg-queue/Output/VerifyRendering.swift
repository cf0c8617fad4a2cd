import ModImgQueue
import ModPortal

/// The results of `verify`, mod by mod, as it prints them.
struct VerifyRendering {
    /// `--db` as given, repeated in the commands proposed, so they act on the same queue.
    let databaseOption: String?

    func render(_ results: [ModVerification]) -> String {
        var lines: [String] = []
        for result in results {
            switch result.outcome {
            case .unknownMod:
                lines.append("\(result.mod): the portal has no such mod")
            case .unreadable(let reason, let attempts):
                lines.append("\(result.mod): could not be read (\(reason); \(attempts) \(attempts == 1 ? "try" : "tries"))")
            case .compared(let drift) where drift.inSync:
                lines.append("\(result.mod): in sync")
            case .compared(let drift):
                lines.append("\(result.mod): drifted")
                let named = { (ids: [String]) in ids.map { id in result.files[id].map { "\(id) (\(Self.shown($0)))" } ?? id } }
                if !drift.unknownToHistory.isEmpty {
                    lines.append("  on the portal, unknown to the history: " + named(drift.unknownToHistory).joined(separator: ", "))
                }
                if !drift.missingOnPortal.isEmpty {
                    lines.append("  in the history, gone from the portal: " + named(drift.missingOnPortal).joined(separator: ", "))
                }
                if !drift.duplicatedOnPortal.isEmpty {
                    lines.append("  shown more than once on the portal: " + named(drift.duplicatedOnPortal).joined(separator: ", "))
                }
                if drift.orderDiffers { lines.append("  the order differs from the last reorder") }
                if let fix = fix(for: result) { lines.append("  to bring it back: \(fix)") }
                if let lost = result.repair?.lost, !lost.isEmpty {
                    let files = lost.map { id in result.files[id].map(Self.shown) ?? id }.joined(separator: ", ")
                    lines.append(
                        "  to get the gone images back, upload them again on the mod's page on the portal (upload and enqueue "
                            + "skip them: the history has them as uploaded): \(files)")
                }
            }
        }
        let drifted = results.filter { $0.exitStatus == 1 }.count
        let unchecked = results.filter { $0.exitStatus == 2 }.count
        var summary =
            drifted == 0 && unchecked == 0
            ? "every mod is in sync (\(results.count) checked)."
            : "\(drifted) of \(results.count) mod\(results.count == 1 ? "" : "s") drifted"
        if unchecked > 0 { summary += "; \(unchecked) could not be checked." } else if drifted > 0 { summary += "." }
        lines.append(summary)
        return lines.joined(separator: "\n")
    }

    /// The command that brings the gallery back, ready to paste; nil when none does.
    func fix(for result: ModVerification) -> String? {
        guard let arguments = result.repair?.arguments else { return nil }
        let database = databaseOption.map { ["--db", $0] } ?? []
        return (["modimg-queue"] + arguments + database).map(Self.quoted).joined(separator: " ")
    }

    /// One sentence per kind of mod `verify` could not tell about, for stderr.
    static func cannotTell(_ results: [ModVerification]) -> [String] {
        var sentences: [String] = []
        let unknown = results.filter { $0.outcome == .unknownMod }.map(\.mod)
        if !unknown.isEmpty { sentences.append(GalleryListingError.unknownMods(unknown).description) }
        let unreadable = results.filter { if case .unreadable = $0.outcome { true } else { false } }.map(\.mod)
        if !unreadable.isEmpty {
            let them = unreadable.count == 1 ? "the gallery of \(unreadable[0]) stayed" : "the galleries of \(unreadable.joined(separator: ", ")) stayed"
            sentences.append(
                "\(them) unreadable after every try (see above), so it is not known whether \(unreadable.count == 1 ? "it" : "they") drifted; "
                    + "run `modimg-queue verify \(unreadable.joined(separator: " "))` again later.")
        }
        return sentences
    }

    /// The line on stderr for a listing read about to be tried again.
    static func retrying(_ retry: ListingRetry, of attempts: Int) -> String {
        "reading the gallery of \(retry.mod) failed (\(retry.reason)); trying again in \(wait(retry.delay)) (try \(retry.attempt + 1) of \(attempts))."
    }

    private static func wait(_ seconds: Double) -> String {
        seconds < 10 ? "\((seconds * 10).rounded() / 10) s" : "\(seconds.wholeClamped()) s"
    }

    /// A local file name made safe for a terminal.
    static func shown(_ path: String) -> String { PortalText.sanitized(path, limit: 400) }

    /// A shell word: as it is when it holds only safe characters, else in single quotes.
    static func quoted(_ word: String) -> String {
        let safe = word.unicodeScalars.allSatisfy { scalar in
            (scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))) || "-_./=:+,@%".unicodeScalars.contains(scalar)
        }
        if safe, !word.isEmpty { return word }
        return "'" + PortalText.sanitized(word, limit: 400).replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
