import Foundation
import Logging
import ModPortal

/// Points in a job's life where a test can stop the process, to prove resume works.
public enum WorkerCheckpoint: String, Sendable {
    /// `add` answered and its `upload_url` is committed; the upload has not started.
    case afterAddCommitted = "after-add-commit"
}

public struct WorkerConfiguration: Sendable {
    /// Names this worker in leases; unique per process.
    public var owner: String
    public var leaseSeconds: Double = 120
    public var concurrency: Int = 1
    /// Keep waiting for new jobs instead of exiting when the queue is finished.
    public var follow = false
    /// How often an idle slot looks for work.
    public var pollInterval: Double = 0.05
    public var retryPolicy: RetryPolicy = .default
    /// How many times an upload may go back to `add` after its `upload_url` was refused.
    public var maxReadds = 3

    public init(owner: String) {
        self.owner = owner
    }

    public static func uniqueOwner() -> String {
        "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UUID().uuidString.prefix(8))"
    }
}

/// What one run of the worker did.
public struct WorkerReport: Sendable, Equatable {
    public var done = 0
    public var failed = 0
    public var retriesScheduled = 0
    public var stopReason: StopReason?
}

/// Takes runnable jobs and carries them through the portal's calls, one request at a time
/// per slot, every request charged to the shared budget. It knows the store, the portal and
/// the clock only through their protocols.
public final class Worker: Sendable {
    let store: any JobStore
    let portal: any PortalClient
    let budget: any RequestBudget
    let clock: any WorkerClock
    let configuration: WorkerConfiguration
    let logger: Logger
    let random: @Sendable () -> Double
    let checkpoint: @Sendable (WorkerCheckpoint, Job) -> Void
    let stopFlag = StopFlag()
    private let tally = Tally()
    private let startedAt: Double

    public init(
        store: any JobStore, portal: any PortalClient, budget: any RequestBudget, clock: any WorkerClock,
        configuration: WorkerConfiguration, logger: Logger = Logger(label: "modimg-queue.worker"),
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        checkpoint: @escaping @Sendable (WorkerCheckpoint, Job) -> Void = { _, _ in }
    ) {
        self.store = store
        self.portal = portal
        self.budget = budget
        self.clock = clock
        self.configuration = configuration
        self.logger = logger
        self.random = random
        self.checkpoint = checkpoint
        self.startedAt = clock.now()
    }

    /// Asks the worker to finish its requests in flight, release its leases and return.
    public func stop() {
        stopFlag.set(.requested)
    }

    /// Runs until the queue is finished (or forever with `follow`), or until stopped.
    public func run() async throws -> WorkerReport {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<max(1, configuration.concurrency) {
                group.addTask { try await self.runSlot() }
            }
            try await group.waitForAll()
        }
        var report = tally.report
        report.stopReason = stopFlag.reason
        return report
    }

    private func runSlot() async throws {
        while !stopFlag.isSet {
            let now = clock.now()
            if let job = try store.claim(owner: configuration.owner, now: now, leaseSeconds: configuration.leaseSeconds) {
                try await process(job)
                continue
            }
            let open = try store.openWork(now: now)
            if open.openJobs == 0 && !configuration.follow { return }
            let wakeAt = min(open.nextRunnableAt ?? .infinity, now + configuration.pollInterval)
            await clock.sleep(seconds: max(wakeAt - now, 0.001))
        }
    }

    private func process(_ job: Job) async throws {
        let owner = configuration.owner
        let heartbeat = Task { [store, clock, configuration] in
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(configuration.leaseSeconds / 3 * 1_000_000_000))
                if Task.isCancelled { return }
                _ = try? store.renewLease(jobID: job.id, owner: owner, until: clock.now() + configuration.leaseSeconds)
            }
        }
        defer { heartbeat.cancel() }
        logger.debug("claimed job", metadata: ["job": "\(job.id)", "kind": "\(job.kind.rawValue)", "mod": "\(job.mod)"])
        do {
            switch job.kind {
            case .upload: try await runUpload(job)
            case .reorder: try await runReorder(job)
            }
        } catch is Stopping {
            try store.release(jobID: job.id, owner: owner, reason: "worker stopped; job left as it was", now: clock.now())
        } catch JobStoreError.leaseLost(let id) {
            logger.warning("lost the lease on job \(id) to another worker; leaving it to them")
        }
    }

    /// Thrown inside a job's run when the worker is stopping before its next request.
    private struct Stopping: Error {}

    /// Waits for the shared budget to allow one more request, unless the worker is stopping
    /// or another worker on this database has seen the key refused since this one started.
    private func charge() async throws {
        if let rejected = try store.signal(.apiKeyRejected), rejected.at >= startedAt {
            stopFlag.set(.apiKeyRejected(rejected.detail))
        }
        guard try await budget.acquire(clock: clock, shouldStop: { [stopFlag] in stopFlag.isSet }) else {
            throw Stopping()
        }
    }

    private func runUpload(_ job: Job) async throws {
        let owner = configuration.owner
        guard let path = job.filePath, let sha1 = job.fileSHA1, let size = job.fileSize else {
            try fail(job, code: "InvalidJob", message: "the upload job has no file recorded")
            return
        }
        guard try checkFileUnchanged(job, path: path, sha1: sha1) else { return }
        var uploadURL = job.uploadURL
        if job.state == .queued || uploadURL == nil {
            try await charge()
            let url: URL
            do {
                url = try await portal.add(mod: job.mod)
            } catch {
                try handle(error, job: job, during: "add")
                return
            }
            try store.recordAdded(jobID: job.id, owner: owner, uploadURL: url, now: clock.now())
            logger.info("add succeeded", metadata: ["job": "\(job.id)", "mod": "\(job.mod)"])
            checkpoint(.afterAddCommitted, job)
            uploadURL = url
        }
        guard let uploadURL else { return }
        try await charge()
        let image: PortalImage
        do {
            let contentType = ImageFile.contentType(ofFileAt: path) ?? "application/octet-stream"
            image = try await portal.upload(
                ImageUpload(fileURL: URL(fileURLWithPath: path), size: size, contentType: contentType), to: uploadURL)
        } catch .uploadURLNotValid(let status, let message) {
            try await recoverSpentUploadURL(job, sha1: sha1, detail: "HTTP \(status) \(message)")
            return
        } catch {
            try handle(error, job: job, during: "upload")
            return
        }
        guard image.id.lowercased() == sha1 else {
            try fail(
                job, code: "IdMismatch",
                message: "the portal stored the image as \(image.id) but the file's SHA1 is \(sha1); check the file and the portal")
            return
        }
        try store.recordUploaded(jobID: job.id, owner: owner, image: image, reason: "upload succeeded: \(image.id)", now: clock.now())
        tally.add(done: 1)
        logger.info("uploaded", metadata: ["job": "\(job.id)", "mod": "\(job.mod)", "id": "\(image.id)"])
    }

    /// The portal refused the stored `upload_url`. An earlier attempt may have landed with
    /// its answer lost, so look in the mod's gallery before uploading again.
    private func recoverSpentUploadURL(_ job: Job, sha1: String, detail: String) async throws {
        try await charge()
        let gallery: [PortalImage]
        do {
            gallery = try await portal.gallery(mod: job.mod)
        } catch {
            try handle(error, job: job, during: "gallery lookup")
            return
        }
        if let found = gallery.first(where: { $0.id.lowercased() == sha1 }) {
            try store.recordUploaded(
                jobID: job.id, owner: configuration.owner, image: found,
                reason: "upload_url was spent (\(detail)); the image is already in the mod's gallery", now: clock.now())
            tally.add(done: 1)
            return
        }
        guard job.readdCount < configuration.maxReadds else {
            try fail(
                job, code: "UploadURLNotValid",
                message: "the portal refused \(job.readdCount + 1) upload URLs in a row (\(detail))")
            return
        }
        try store.restartUpload(
            jobID: job.id, owner: configuration.owner,
            reason: "upload_url no longer valid (\(detail)); image not in the gallery; will add again", now: clock.now())
    }

    private func runReorder(_ job: Job) async throws {
        let dependencies = try store.dependencies(ofJob: job.id)
        if let broken = dependencies.first(where: { $0.state == .failed || $0.state == .cancelled }) {
            try fail(job, code: "DependencyFailed", message: "dependency failed: upload job \(broken.job) is \(broken.state.rawValue)")
            return
        }
        var wanted = job.imageIDs
        if job.keepUnlisted {
            try await charge()
            do {
                let listed = Set(wanted)
                wanted += try await portal.gallery(mod: job.mod).map { $0.id.lowercased() }.filter { !listed.contains($0) }
            } catch {
                try handle(error, job: job, during: "gallery lookup")
                return
            }
        }
        try await charge()
        let images: [PortalImage]
        do {
            images = try await portal.edit(mod: job.mod, imageIDs: wanted)
        } catch {
            try handle(error, job: job, during: "edit")
            return
        }
        let answered = images.map { $0.id.lowercased() }
        guard answered == wanted else {
            try fail(
                job, code: "GalleryMismatch",
                message: "edit answered the gallery \(answered.joined(separator: ",")) instead of the requested order")
            return
        }
        try store.recordReordered(jobID: job.id, owner: configuration.owner, now: clock.now())
        tally.add(done: 1)
        logger.info("reordered", metadata: ["job": "\(job.id)", "mod": "\(job.mod)", "images": "\(images.count)"])
    }

    /// Fails the job if its file is gone or changed since it was queued. Returns whether it may go on.
    private func checkFileUnchanged(_ job: Job, path: String, sha1: String) throws -> Bool {
        guard let current = ImageFile.currentSHA1(path: path) else {
            try fail(job, code: "FileUnreadable", message: "\(path) can no longer be read; restore it and retry the job")
            return false
        }
        guard current == sha1 else {
            try fail(
                job, code: "FileChanged",
                message: "\(path) changed since it was queued (SHA1 \(sha1) then, \(current) now); queue it again")
            return false
        }
        return true
    }

    private func handle(_ error: PortalError, job: Job, during call: String) throws {
        let now = clock.now()
        switch FailureDisposition.of(error) {
        case .stopWorker:
            let message: String
            if case .missingApiKey = error {
                message = "no API key: set MOD_EDIT_API_KEY or pass --api-key-file"
            } else {
                message = "the portal refused the API key (\(error.message)); create a key with the ModPortal: Edit Mods usage at https://factorio.com/profile and set MOD_EDIT_API_KEY"
            }
            stopFlag.set(.apiKeyRejected(message))
            if error != .missingApiKey { try store.raiseSignal(.apiKeyRejected, detail: message, now: now) }
            logger.error("stopping: \(message)")
            throw Stopping()
        case .fail:
            try fail(job, code: error.code, message: "\(call): \(error.message)")
            if error.apiCode == .unknownMod || error.apiCode == .forbidden {
                let others = try store.failOpenJobs(
                    ofMod: job.mod, owner: configuration.owner, errorCode: error.code,
                    errorMessage: "not tried: job \(job.id) of this mod got \(error.code) (\(error.message))", now: now)
                if others > 0 {
                    tally.add(failed: others)
                    logger.warning("failed the other \(others) jobs of \(job.mod) without trying them: \(error.code)")
                }
            }
        case .retry:
            let attempt = job.attempts + 1
            if let retryAfter = error.retryAfter {
                try budget.pause(until: now + retryAfter)
            }
            guard let delay = configuration.retryPolicy.delay(afterAttempt: attempt, retryAfter: error.retryAfter, unitRandom: random())
            else {
                try fail(job, code: error.code, message: "\(call): gave up after \(attempt) attempts: \(error.message)")
                return
            }
            try store.scheduleRetry(
                jobID: job.id, owner: configuration.owner, retryAt: now + delay, errorCode: error.code,
                errorMessage: "\(call): \(error.message)", now: now)
            tally.add(retries: 1)
            logger.notice("\(call) failed, will retry", metadata: ["job": "\(job.id)", "error": "\(error)", "in": "\(Int(delay.rounded(.up))) s"])
        }
    }

    private func fail(_ job: Job, code: String, message: String) throws {
        try store.fail(jobID: job.id, owner: configuration.owner, errorCode: code, errorMessage: message, now: clock.now())
        tally.add(failed: 1)
        logger.warning("job failed", metadata: ["job": "\(job.id)", "mod": "\(job.mod)", "error": "\(code): \(message)"])
    }
}

/// Counts of what a worker did, shared by its slots.
private final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var value = WorkerReport()

    var report: WorkerReport {
        lock.lock()
        defer { lock.unlock() }
        return value
    }

    func add(done: Int = 0, failed: Int = 0, retries: Int = 0) {
        lock.lock()
        defer { lock.unlock() }
        value.done += done
        value.failed += failed
        value.retriesScheduled += retries
    }
}
