import Foundation
import ModPortal

/// Why a mod has failed jobs: its root cause (the newest failure that is not a dependency
/// failure, else the newest), how many jobs failed, and what to do next.
public struct ModFailure: Sendable, Equatable {
    public let mod: String
    public let job: Int64
    public let failure: JobFailure
    public let failedJobs: Int

    /// The command or fix that comes next for this mod.
    public var nextStep: String { NextStep.advice(for: failure, mod: mod) }
}

extension QueueQueries {
    /// Every mod with failed jobs (only `mods`, when given), with its root cause, by mod name.
    public func rootCauses(mods: [String]? = nil) async throws -> [ModFailure] {
        try await database.read { db in
            var causes: [ModFailure] = []
            for row in try db.rows(StatusSQL.rootCauses, []) {
                guard let mod = row.string("mod"), let id = row.int("id"), let code = row.string("last_error_code") else { continue }
                if let mods, !mods.contains(mod) { continue }
                causes.append(
                    ModFailure(
                        mod: mod, job: Int64(id),
                        failure: JobFailure(FailureCode(rawValue: code), PortalText.sanitized(row.string("last_error_message") ?? "")),
                        failedJobs: row.int("failed") ?? 0))
            }
            return causes
        }
    }
}

extension StatusSQL {
    /// Per mod with failed jobs, the failure whose row wins the MAX: any that is not a
    /// dependency failure beats every dependency failure; among equals, the newest.
    static let rootCauses = """
        SELECT mod, id, last_error_code, last_error_message, COUNT(*) AS failed,
            MAX((last_error_code IS NOT 'DependencyFailed') * 1e12 + updated_at) AS rank
        FROM jobs WHERE state = 'failed' AND last_error_code IS NOT NULL
        GROUP BY mod ORDER BY mod
        """
}

/// What a user does about a failure: retry it, or fix something first.
public enum NextStep {
    public static func advice(for failure: JobFailure, mod: String) -> String {
        let retry = "modimg-queue retry --failed --mod \(mod)"
        switch failure.code {
        case .portal("Forbidden"):
            return "this key may not change \(mod): use a key of its owner or of a collaborator, then \(retry)"
        case .portal("UnknownMod"):
            return "the portal has no mod named \(mod): check the name (a folder or manifest entry names it), then queue it again"
        case .portal("InvalidImageUpload"):
            return "the portal refused the image: check the file is a PNG, JPEG or GIF it accepts, then queue it again"
        case .portal("InvalidApiKey"), .portal("MissingApiKey"):
            return "set a key with the ModPortal: Edit Mods usage (MOD_EDIT_API_KEY or --api-key-file), then \(retry)"
        case .fileChanged, .fileUnreadable:
            return "put the file back as it was queued, or queue the new file with enqueue or upload; then \(retry)"
        case .idMismatch, .galleryMismatch:
            return "check the mod's gallery on the portal (modimg-queue verify \(mod) if available), then \(retry)"
        case .dependencyFailed:
            return "fix the failed uploads of \(mod) first, then \(retry)"
        default:
            return retry
        }
    }
}
