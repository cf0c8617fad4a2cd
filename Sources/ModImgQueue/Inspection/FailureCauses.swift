import Foundation
import ModPortal

/// Why a mod has failed jobs: its root cause (the newest failure that is not a dependency
/// failure, else the newest), how many jobs failed, and what to do next.
public struct ModFailure: Sendable, Equatable {
    public let mod: String
    public let job: Int64
    public let failure: JobFailure
    public let failedJobs: Int
    /// The root cause's job, as the advice needs it.
    public let failedJob: FailedJob

    /// The command or fix that comes next for this mod.
    public var nextStep: NextStep { NextStep.advice(for: failure, of: failedJob) }
}

extension QueueQueries {
    /// Every mod with failed jobs (only `mods`, when given), with its root cause, by mod name.
    public func rootCauses(mods: [String]? = nil) async throws -> [ModFailure] {
        try await database.read { db in
            var causes: [ModFailure] = []
            for row in try db.rows(StatusSQL.rootCauses, []) {
                guard let mod = row.string("mod"), let id = row.int("id"), let code = row.string("last_error_code"),
                    let kind = row.string("kind").flatMap(JobKind.init(rawValue:))
                else { continue }
                if let mods, !mods.contains(mod) { continue }
                causes.append(
                    ModFailure(
                        mod: mod, job: Int64(id),
                        failure: JobFailure(FailureCode(rawValue: code), PortalText.sanitized(row.string("last_error_message") ?? "")),
                        failedJobs: row.int("failed") ?? 0,
                        failedJob: FailedJob(id: Int64(id), mod: mod, kind: kind, path: row.string("file_path"))))
            }
            return causes
        }
    }
}

extension StatusSQL {
    /// Per mod with failed jobs, the failure whose row wins the MAX: any that is not a
    /// dependency failure beats every dependency failure; among equals, the newest.
    static let rootCauses = """
        SELECT mod, id, kind, file_path, last_error_code, last_error_message, COUNT(*) AS failed,
            MAX((last_error_code IS NOT 'DependencyFailed') * 1e12 + updated_at) AS rank
        FROM jobs WHERE state = 'failed' AND last_error_code IS NOT NULL
        GROUP BY mod ORDER BY mod
        """
}
