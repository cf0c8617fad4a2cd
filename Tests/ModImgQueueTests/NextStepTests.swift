import ModImgQueue
import ModPortal
import Testing

/// The advice table, one row per failure code and context: the commands it names, and whether a
/// retry is offered — only where sending the same job again can succeed.
@Suite struct NextStepTests {
    struct Row: Sendable, CustomStringConvertible {
        let code: String
        let message: String
        let kind: JobKind
        /// Commands the advice must name, with the job's id for `JOB` and its file for `PATH`.
        let names: [String]
        let retryHelps: Bool
        var description: String { "\(code) \(message)" }
    }

    static let upload = FailedJob(id: 12, mod: "belt-colours", kind: .upload, path: "/home/me/shots/it's 02.png")
    static let reorder = FailedJob(id: 13, mod: "belt-colours", kind: .reorder, path: nil)

    static let rows: [Row] = [
        Row(code: "Forbidden", message: "add: Insufficent permission for current endpoint", kind: .upload,
            names: ["owner", "collaborator", "modimg-queue retry --failed --mod belt-colours"], retryHelps: true),
        Row(code: "UnknownMod", message: "add: Unknown mod", kind: .upload,
            names: ["modimg-queue cancel --failed --mod belt-colours", "publish it"], retryHelps: false),
        Row(code: "InvalidApiKey", message: "add: Invalid API key", kind: .upload,
            names: ["MOD_EDIT_API_KEY", "modimg-queue retry --failed --mod belt-colours"], retryHelps: true),
        Row(code: "InvalidImageUpload", message: "upload: not an image", kind: .upload,
            names: ["modimg-queue upload belt-colours PATH", "modimg-queue cancel --failed JOB"], retryHelps: false),
        Row(code: "FileChanged", message: "the file's SHA1 is not the one queued", kind: .upload,
            names: ["modimg-queue upload belt-colours PATH", "modimg-queue cancel --failed JOB"], retryHelps: false),
        Row(code: "FileUnreadable", message: "no such file", kind: .upload,
            names: ["modimg-queue retry JOB", "modimg-queue cancel --failed JOB"], retryHelps: true),
        Row(code: "InvalidRequest", message: "edit: Unknown image id for mod belt-colours: ab12", kind: .reorder,
            names: ["modimg-queue verify belt-colours", "modimg-queue reorder belt-colours", "modimg-queue cancel --failed JOB"],
            retryHelps: false),
        Row(code: "InvalidRequest", message: "add: Request body too large", kind: .upload,
            names: ["modimg-queue cancel --failed JOB", "modimg-queue upload belt-colours PATH"], retryHelps: false),
        Row(code: "IdMismatch", message: "upload: stored as 1234", kind: .upload,
            names: ["modimg-queue verify belt-colours", "modimg-queue cancel --failed JOB"], retryHelps: false),
        Row(code: "GalleryMismatch", message: "edit: answered another gallery", kind: .reorder,
            names: ["modimg-queue verify belt-colours", "modimg-queue retry JOB"], retryHelps: true),
        Row(code: "DependencyFailed", message: "dependency cancelled: upload job 4 was cancelled, so its image will not be there",
            kind: .reorder, names: ["modimg-queue cancel --failed JOB", "enqueue"], retryHelps: false),
        Row(code: "DependencyFailed", message: "dependency failed: upload job 4 was failed, so its image will not be there",
            kind: .reorder, names: ["modimg-queue retry --failed --mod belt-colours"], retryHelps: true),
        Row(code: "InvalidJob", message: "no file", kind: .upload, names: ["modimg-queue cancel --failed JOB"], retryHelps: false),
        Row(code: "ForeignUploadURL", message: "add: foreign host", kind: .upload,
            names: ["--portal-url", "modimg-queue retry JOB"], retryHelps: true),
    ] + ["HTTP503", "HTTP502", "HTTP429", "Transport", "InternalError", "Unknown", "MalformedResponse", "UploadURLNotValid"].map {
        Row(code: $0, message: "add: gave up after 8 attempts: busy", kind: .upload,
            names: ["modimg-queue retry --failed --mod belt-colours"], retryHelps: true)
    }

    @Test(arguments: rows) func theAdviceNamesWhatWorksAndOffersRetryOnlyWhereItCan(_ row: Row) {
        let job = row.kind == .upload ? Self.upload : Self.reorder
        let next = NextStep.advice(for: JobFailure(FailureCode(rawValue: row.code), row.message), of: job)
        for name in row.names {
            let expected = name.replacingOccurrences(of: "JOB", with: "\(job.id)")
                .replacingOccurrences(of: "PATH", with: #"'/home/me/shots/it'\''s 02.png'"#)
            #expect(next.text.contains(expected), "\(row): \(next.text)")
        }
        #expect(next.retryHelps == row.retryHelps, "\(row)")
        if !row.retryHelps, row.code != "UnknownMod" {
            #expect(!next.text.contains("modimg-queue retry"), "a retry is not offered where it cannot work: \(next.text)")
        }
    }

    @Test func everyCodeTheWorkerRecordsHasARowAndTransientOnesAreRetried() {
        // Each way a call can fail, as the worker decides it once its attempts are used up.
        let errors: [PortalError] = [
            .api(code: "InvalidRequest", message: "bad", httpStatus: 400, retryAfter: nil),
            .api(code: "InternalError", message: "oops", httpStatus: 500, retryAfter: nil),
            .api(code: "Forbidden", message: "no", httpStatus: 403, retryAfter: nil),
            .api(code: "Unknown", message: "?", httpStatus: 500, retryAfter: nil),
            .api(code: "InvalidImageUpload", message: "no", httpStatus: 400, retryAfter: nil),
            .api(code: "UnknownMod", message: "no", httpStatus: 404, retryAfter: nil),
            .rateLimited(httpStatus: 429, retryAfter: nil), .server(httpStatus: 502, retryAfter: nil, snippet: ""),
            .malformedResponse(httpStatus: 200, detail: "html"), .transport("reset"), .unreachable("refused"),
            .foreignUploadURL("evil.example"), .uploadURLNotValid(httpStatus: 404, message: "expired"),
            .fileChangedWhileSending(readSHA1: "ab", bytesRead: 3),
        ]
        for error in errors {
            let decision = FailureDecision.decide(
                error, during: .add, attempts: 100, now: 0, policy: RetryPolicy(baseDelay: 1, maxDelay: 10, maxAttempts: 3), unitRandom: 0.5)
            let failure: JobFailure
            switch decision {
            case .fail(let f), .failMod(let f): failure = f
            default:
                Issue.record("\(error) does not fail the job: \(decision)")
                continue
            }
            let next = NextStep.advice(for: failure, of: Self.upload)
            let isTransient = FailureDisposition.of(error) == .retry
            // A transient failure is retried; a permanent one is retried only where the row says what changes first.
            if isTransient { #expect(next.retryHelps && next.text.contains("modimg-queue retry"), "\(error): \(next.text)") }
            #expect(Self.rows.contains { $0.code == failure.code.rawValue }, "\(failure.code.rawValue) has no row in the table")
        }
    }
}
