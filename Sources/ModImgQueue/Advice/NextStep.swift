import Foundation
import ModPortal

/// What a user does about a failed job: one sentence, naming the commands that work for this
/// failure of this job. `retryHelps` says whether `retry` is among them: it is offered only
/// where sending the same job again can succeed.
public struct NextStep: Sendable, Equatable, CustomStringConvertible {
    public let text: String
    public let retryHelps: Bool

    /// `text` holds a code the portal chose and the user's own names: made safe for a terminal once, here.
    init(text: String, retryHelps: Bool) {
        self.text = PortalText.sanitized(text, limit: 4096)
        self.retryHelps = retryHelps
    }

    public var description: String { text }

    /// The next step for `failure` of `job`: the one table the summary, `status --failed`, `log`,
    /// the dashboard and `--events json` all read.
    public static func advice(for failure: JobFailure, of job: FailedJob) -> NextStep {
        let mod = ShellWord.quoted(job.mod)
        let retryMod = "modimg-queue retry --failed --mod \(mod)"
        let retryJob = "modimg-queue retry \(job.id)"
        let setAside = "modimg-queue cancel --failed \(job.id)"
        let requeue = job.path.map { "modimg-queue upload \(mod) \(ShellWord.quoted($0))" } ?? "modimg-queue enqueue with its folder"
        let call = job.call(of: failure)
        switch failure.code {
        case .portal("Forbidden"):
            return NextStep(
                text: "this key may not change \(job.mod): only a key of the mod's owner or of a collaborator on it may; "
                    + "give such a key (MOD_EDIT_API_KEY or --api-key-file), then \(retryMod)",
                retryHelps: true)
        case .portal("UnknownMod"):
            return NextStep(
                text: "the portal has no mod named \(job.mod): if the name is misspelt, queue the work under the right name "
                    + "and set these jobs aside with modimg-queue cancel --failed --mod \(mod); if the mod is not published "
                    + "yet, publish it, then \(retryMod)",
                retryHelps: false)
        case .portal("InvalidApiKey"), .portal("MissingApiKey"):
            return NextStep(
                text: "give a key with the ModPortal: Edit Mods usage (MOD_EDIT_API_KEY or --api-key-file), then \(retryMod)",
                retryHelps: true)
        case .portal("InvalidImageUpload"):
            return NextStep(
                text: "the portal refused the file as an image, and would refuse it again: save it as a PNG, JPEG or GIF "
                    + "the portal takes, queue it (\(requeue)), and set this job aside with \(setAside)",
                retryHelps: false)
        case .fileChanged:
            return NextStep(
                text: "the file changed after it was queued, so a retry would fail the same way: queue it as it is now "
                    + "(\(requeue)) and set this job aside with \(setAside)",
                retryHelps: false)
        case .fileUnreadable:
            return NextStep(
                text: "the file cannot be read: put it back where it was (or make it readable), then \(retryJob); "
                    + "or set this job aside with \(setAside)",
                retryHelps: true)
        case .portal("InvalidRequest") where call == .edit:
            return NextStep(
                text: "the portal refused this order of the gallery (an image it names is not in the gallery), and a retry "
                    + "sends the same order: see the gallery with modimg-queue verify \(mod), queue a new order "
                    + "(modimg-queue reorder \(mod) ID …, or enqueue the mod's folder again), and set this job aside "
                    + "with \(setAside)",
                retryHelps: false)
        case .portal("InvalidRequest"):
            return NextStep(
                text: "the portal refused the request, and a retry sends the same one: set this job aside with \(setAside), "
                    + "and queue the image again (\(requeue)) if it is still wanted",
                retryHelps: false)
        case .idMismatch:
            return NextStep(
                text: "the portal stored the image under another id than its SHA1, so a retry could store it twice: see "
                    + "the gallery with modimg-queue verify \(mod), and set this job aside with \(setAside)",
                retryHelps: false)
        case .galleryMismatch:
            return NextStep(
                text: "the gallery the portal answered is not the one asked for: see it with modimg-queue verify \(mod), "
                    + "then \(retryJob) to ask again",
                retryHelps: true)
        case .dependencyFailed where failure.message.contains("cancelled"):
            return NextStep(
                text: "an upload this order waits for was cancelled, so a retry would fail the same way: queue the "
                    + "gallery again (enqueue the mod's folder, or upload and reorder), and set this job aside with \(setAside)",
                retryHelps: false)
        case .dependencyFailed:
            return NextStep(
                text: "an upload this order waits for failed: follow that upload's next step; \(retryMod) then sends both again",
                retryHelps: true)
        case .invalidJob:
            return NextStep(
                text: "the job's row in the queue is damaged and cannot run: set it aside with \(setAside) and queue "
                    + "the work again",
                retryHelps: false)
        case .portal("ForeignUploadURL"):
            return NextStep(
                text: "the portal named another host to send the image to, which modimg-queue refuses: check --portal-url "
                    + "(or whatever sits between you and the portal), then \(retryJob)",
                retryHelps: true)
        default:
            // Transient failures that outlasted every attempt (5xx, 429, no answer, an odd
            // answer, an upload_url refused again and again): the same job can succeed later.
            return NextStep(
                text: "the portal kept failing (\(failure.code.rawValue)); when it answers again, \(retryMod)",
                retryHelps: true)
        }
    }
}

extension Job {
    /// What to do about the job, when it failed.
    public var nextStep: NextStep? {
        guard state == .failed, let lastFailure else { return nil }
        return .advice(for: lastFailure, of: FailedJob(self))
    }
}

/// What the advice needs of a failed job: who it is, and the file of an upload.
public struct FailedJob: Sendable, Equatable {
    public let id: Int64
    public let mod: String
    public let kind: JobKind
    /// The upload's file, nil for a reorder.
    public let path: String?

    public init(id: Int64, mod: String, kind: JobKind, path: String?) {
        self.id = id
        self.mod = mod
        self.kind = kind
        self.path = path
    }

    public init(_ job: Job) {
        self.init(id: job.id, mod: job.mod, kind: job.kind, path: job.upload?.path)
    }

    /// The call that failed: the worker writes it first in the message (`add: …`, `edit: …`); else
    /// the kind's own call.
    func call(of failure: JobFailure) -> PortalCall {
        let named = failure.message.split(separator: ":", maxSplits: 1).first.flatMap { PortalCall(rawValue: String($0)) }
        return named ?? (kind == .reorder ? .edit : .add)
    }
}

/// Words as a POSIX shell reads them back: as they are when safe, else in single quotes.
public enum ShellWord {
    public static func quoted(_ word: String) -> String {
        let safe = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./+,:=@%")
        if !word.isEmpty, word.unicodeScalars.allSatisfy(safe.contains) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
