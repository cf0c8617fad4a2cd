import Foundation
import ModPortal
import Synchronization

@testable import ModImgQueue

/// The real SQLite store, counting the calls in flight (so a test's clock moves only while the
/// worker waits on it), and failing the first `busyCount` calls of each kind as if another
/// process held the database's write lock past the busy timeout.
final class InstrumentedStore: JobStore {
    let store: SQLiteJobStore
    private let busyCount: Int
    private let busyLeft = Mutex<[String: Int]>([:])
    private let running = Mutex(0)

    init(_ store: SQLiteJobStore, busyCount: Int = 0) {
        self.store = store
        self.busyCount = busyCount
    }

    var inFlight: Int { running.withLock { $0 } }
    /// How many busy failures were handed out.
    var busyFailures: Int { busyLeft.withLock { $0.values.map { busyCount - $0 }.reduce(0, +) } }

    private func call<T>(_ name: String = #function, _ operation: () async throws -> T) async throws -> T {
        try busyLeft.withLock { left in
            let remaining = left[name, default: busyCount]
            if remaining > 0 {
                left[name] = remaining - 1
                throw QueueError.databaseBusy(store.database.path)
            }
        }
        running.withLock { $0 += 1 }
        defer { running.withLock { $0 -= 1 } }
        return try await operation()
    }

    func claim(by holder: ClaimHolder, now: Double, leaseSeconds: Double) async throws -> Claim? {
        try await call { try await store.claim(by: holder, now: now, leaseSeconds: leaseSeconds) }
    }
    func confirm(_ claim: Claim, now: Double, leaseSeconds: Double) async throws -> Claim? {
        try await call { try await store.confirm(claim, now: now, leaseSeconds: leaseSeconds) }
    }
    func recordAdded(_ claim: Claim, uploadURL: URL, now: Double) async throws -> Claim {
        try await call { try await store.recordAdded(claim, uploadURL: uploadURL, now: now) }
    }
    func recordUploaded(_ claim: Claim, image: PortalImage, reason: String, now: Double) async throws {
        try await call { try await store.recordUploaded(claim, image: image, reason: reason, now: now) }
    }
    func recordFoundInGallery(_ claim: Claim, image: PortalImage, reason: String, now: Double) async throws {
        try await call { try await store.recordFoundInGallery(claim, image: image, reason: reason, now: now) }
    }
    func recordReordered(_ claim: Claim, gallery: [String], removed: [String], now: Double) async throws {
        try await call { try await store.recordReordered(claim, gallery: gallery, removed: removed, now: now) }
    }

    func galleryModel(mod: String) async throws -> GalleryModel {
        try await call { try await store.galleryModel(mod: mod) }
    }
    func restartUpload(_ claim: Claim, reason: String, now: Double) async throws {
        try await call { try await store.restartUpload(claim, reason: reason, now: now) }
    }
    func scheduleRetry(_ claim: Claim, retryAt: Double, failure: JobFailure, now: Double) async throws {
        try await call { try await store.scheduleRetry(claim, retryAt: retryAt, failure: failure, now: now) }
    }
    func fail(_ claim: Claim, failure: JobFailure, now: Double) async throws {
        try await call { try await store.fail(claim, failure: failure, now: now) }
    }
    func failOtherOpenJobs(of claim: Claim, failure: JobFailure, now: Double) async throws -> [Int64] {
        try await call { try await store.failOtherOpenJobs(of: claim, failure: failure, now: now) }
    }
    func release(_ claim: Claim, reason: String, now: Double) async throws {
        try await call { try await store.release(claim, reason: reason, now: now) }
    }
    func releaseClaimsOfDeadProcesses(on host: String, probe: any ProcessProbe, now: Double) async throws -> [Int64] {
        try await call { try await store.releaseClaimsOfDeadProcesses(on: host, probe: probe, now: now) }
    }
    func openWork(now: Double) async throws -> OpenWork {
        try await call { try await store.openWork(now: now) }
    }
    func dependencies(ofJob jobID: Int64) async throws -> [(job: Int64, state: JobState)] {
        try await call { try await store.dependencies(ofJob: jobID) }
    }
    func raiseSignal(_ signal: WorkerSignal, detail: String, now: Double) async throws {
        try await call { try await store.raiseSignal(signal, detail: detail, now: now) }
    }
    func signal(_ signal: WorkerSignal) async throws -> (at: Double, detail: String)? {
        try await call { try await store.signal(signal) }
    }
    func clearSignal(_ signal: WorkerSignal, raisedBefore: Double) async throws {
        try await call { try await store.clearSignal(signal, raisedBefore: raisedBefore) }
    }
}

/// The real budget, counting the calls in flight.
final class InstrumentedBudget: RequestBudget {
    let budget: SQLiteRequestBudget
    private let running = Mutex(0)

    init(_ budget: SQLiteRequestBudget) {
        self.budget = budget
    }

    var inFlight: Int { running.withLock { $0 } }

    func acquire(for claim: Claim, sending call: PortalCall, now: Double, leaseSeconds: Double) async throws
        -> BudgetDecision
    {
        running.withLock { $0 += 1 }
        defer { running.withLock { $0 -= 1 } }
        return try await budget.acquire(for: claim, sending: call, now: now, leaseSeconds: leaseSeconds)
    }

    func pause(until: Double, now: Double) async throws -> Double {
        running.withLock { $0 += 1 }
        defer { running.withLock { $0 -= 1 } }
        return try await budget.pause(until: until, now: now)
    }
}
