import Foundation
import ModPortal
import SQLiteStore
import TestSupport
import Testing

@testable import ModImgQueue

/// The claim reads each mod's head from `mod_heads`, kept by triggers, and the dependency counts
/// kept in `open_dependencies`. Through a long seeded run of every kind of write, both must stay
/// equal to what a full evaluation of the queue gives, and the claim must pick only a job the
/// claim rules, evaluated over every open job (the statement used before the index), allow.
@Suite struct ClaimIndexTests {
    let q: QueueFixture

    init() throws {
        q = try QueueFixture()
    }

    /// The rules evaluated over every open job, as the claim did before `mod_heads`: the reference.
    static let everyClaimableJob = """
        SELECT j.id FROM jobs AS j
        WHERE j.state IN ('queued', 'added')
          AND (
            j.id = (SELECT MIN(k.id) FROM jobs AS k WHERE k.mod = j.mod AND k.state IN ('queued', 'added'))
            OR (j.kind = 'upload' AND j.state = 'queued' AND EXISTS (
              SELECT 1 FROM jobs AS p
              WHERE p.id = (SELECT MIN(k.id) FROM jobs AS k WHERE k.mod = j.mod AND k.state IN ('queued', 'added'))
                AND p.kind = 'upload' AND p.state = 'added' AND p.lease_expires_at > ?1
                AND j.id = (
                  SELECT MIN(k.id) FROM jobs AS k WHERE k.mod = j.mod AND k.state IN ('queued', 'added') AND k.id > p.id)))
          )
          AND (j.lease_expires_at IS NULL OR j.lease_expires_at <= ?1)
          AND j.next_attempt_at <= ?1
          AND NOT EXISTS (
            SELECT 1 FROM jobs AS o
            WHERE o.mod = j.mod AND o.id <> j.id AND o.state IN ('queued', 'added') AND o.lease_expires_at > ?1
              AND NOT (j.kind = 'upload' AND j.state = 'queued' AND o.kind = 'upload' AND o.state = 'added'
                AND o.id = (SELECT MIN(k.id) FROM jobs AS k WHERE k.mod = j.mod AND k.state IN ('queued', 'added'))))
          AND NOT EXISTS (
            SELECT 1 FROM job_dependencies AS d JOIN jobs AS k ON k.id = d.depends_on
            WHERE d.job_id = j.id AND k.state IN ('queued', 'added'))
        """

    /// A small deterministic generator (SplitMix64), so a failure replays.
    struct Dice {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    func enqueueBatch(mod: String, uploads: Int, reorder: Bool, seed: Int, now: Double) async throws {
        let files = try q.pngs(seed...(seed + uploads - 1)).map { try ImageFile.inspect(path: $0) }
        try await q.database.write { db in
            var inserter = JobInserter(db: db, now: now)
            var ids: [Int64] = []
            for file in files { ids.append(try inserter.insert(kind: .upload, mod: mod, file: file, imageIDs: nil)) }
            if reorder {
                _ = try inserter.insert(
                    kind: .reorder, mod: mod, file: nil, imageIDs: files.map(\.sha1), keepUnlisted: true, dependsOn: ids)
            }
            try inserter.finish()
        }
    }

    /// What the index holds must be what a full evaluation gives, and the claim's pick allowed.
    func checkIndexes(now: Double, step: Int) async throws {
        let (kept, computed, counts, recounted, pick, allowed) = try await q.database.read { db in
            let columns = "mod, head, ready_at, ahead, ahead_at, head_lease"
            let kept = try db.rows("SELECT \(columns) FROM mod_heads ORDER BY mod").map(\.values)
            let computed = try db.rows(
                """
                SELECT \(columns) FROM mod_head_candidates
                WHERE head IN (SELECT MIN(id) FROM jobs WHERE state IN ('queued', 'added') GROUP BY mod) ORDER BY mod
                """
            ).map(\.values)
            let counts = try db.rows("SELECT id, open_dependencies AS n FROM jobs ORDER BY id").map(\.values)
            let recounted = try db.rows(
                """
                SELECT id, (SELECT COUNT(*) FROM job_dependencies AS d JOIN jobs AS k ON k.id = d.depends_on
                  WHERE d.job_id = jobs.id AND k.state IN ('queued', 'added')) AS n FROM jobs ORDER BY id
                """
            ).map(\.values)
            let pick = try db.row(ClaimRules.claimable, [now])?.int("id")
            let allowed = Set(try db.rows(Self.everyClaimableJob, [now]).compactMap { $0.int("id") })
            return (kept, computed, counts, recounted, pick, allowed)
        }
        #expect(kept == computed, "mod_heads differs from a full evaluation after step \(step)")
        #expect(counts == recounted, "open_dependencies differs from a recount after step \(step)")
        if let pick {
            #expect(allowed.contains(pick), "step \(step): claimed job \(pick), which the rules do not allow (\(allowed.sorted()))")
        } else {
            #expect(allowed.isEmpty, "step \(step): nothing claimed, but the rules allow \(allowed.sorted())")
        }
    }

    @Test(arguments: [1, 2, 3])
    func theIndexedClaimAgreesWithTheRulesThroughEveryKindOfWrite(seed: UInt64) async throws {
        var dice = Dice(state: seed)
        let mods = ["a", "b", "c", "d"]
        var now = 1000.0
        var held: [Claim] = []
        var files = 1
        var made: [String: Int] = [:]
        for (index, mod) in mods.enumerated() {
            try await enqueueBatch(mod: mod, uploads: 3, reorder: index % 2 == 0, seed: files, now: now)
            files += 3
        }
        let image = { (claim: Claim) in
            PortalImage(id: claim.job.upload?.sha1 ?? "", url: "http://a/x.png", thumbnail: "http://a/x.thumb.png")
        }
        for step in 0..<600 {
            now += Double(dice.next(3))
            let maintenance = QueueMaintenance(database: q.database, now: { [now] in now })
            switch dice.next(10) {
            case 0, 1, 2:
                let holder = ClaimHolder(host: "h", pid: Int32(1 + dice.next(3)), processStart: 1)
                if let claim = try await q.store.claim(by: holder, now: now, leaseSeconds: Double(5 + dice.next(30))) {
                    held.append(claim)
                }
            case 3, 4, 5:
                guard !held.isEmpty else { continue }
                let claim = held.remove(at: dice.next(held.count))
                do {
                    switch (claim.job.kind, claim.job.state, dice.next(4)) {
                    case (.upload, .queued, 0...1):
                        held.append(try await q.store.recordAdded(claim, uploadURL: URL(string: "http://x/u")!, now: now))
                        made["added", default: 0] += 1
                    case (.upload, .added, 0...1):
                        try await q.store.recordUploaded(claim, image: image(claim), reason: "ok", now: now)
                        made["uploaded", default: 0] += 1
                    case (.reorder, _, 0...1):
                        try await q.store.recordReordered(claim, gallery: [], removed: [], now: now)
                        made["reordered", default: 0] += 1
                    case (_, _, 2):
                        try await q.store.scheduleRetry(
                            claim, retryAt: now + Double(dice.next(5)), failure: JobFailure(.portal("Transport"), "reset"), now: now)
                        made["retried", default: 0] += 1
                    case (.upload, .added, 3) where dice.next(2) == 0:
                        try await q.store.restartUpload(claim, reason: "refused url", now: now)
                    case (_, _, 3):
                        try await q.store.fail(claim, failure: JobFailure(.fileUnreadable, "gone"), now: now)
                    default:
                        try await q.store.release(claim, reason: "given back", now: now)
                    }
                } catch is ClaimLost {}  // its lease ran out, or a maintenance command took the job
            case 6:
                let job = Int64(1 + dice.next(files + mods.count))
                let known = try await q.count("SELECT COUNT(*) AS n FROM jobs WHERE id = ?", [job]) == 1
                let chosen: QueueMaintenance.Selection = known && dice.next(2) == 0 ? .jobs([job]) : .all(mod: mods[dice.next(mods.count)])
                switch dice.next(3) {
                case 0: made["retried by hand", default: 0] += try await maintenance.retry(chosen).changed.count
                case 1: made["cancelled", default: 0] += try await maintenance.cancel(chosen).changed.count
                default: _ = try await maintenance.cancelFailed(chosen)
                }
            case 7:
                try await enqueueBatch(
                    mod: mods[dice.next(mods.count)], uploads: 1 + dice.next(3), reorder: dice.next(2) == 0, seed: files, now: now)
                files += 3
            case 8:
                _ = try await q.store.releaseClaimsOfDeadProcesses(on: "h", probe: OnlyPid(pid: 1), now: now)
            default:
                _ = try await maintenance.prune(olderThan: Double(dice.next(20)))
            }
            try await checkIndexes(now: now, step: step)
        }
        // The run went through every kind of write that moves a head.
        for kind in ["added", "uploaded", "reordered", "retried", "retried by hand", "cancelled"] {
            #expect(made[kind, default: 0] > 0, "seed \(seed): no job was \(kind)")
        }
    }

    @Test func modsTakeTurnsSoEveryModMovesOn() async throws {
        let enqueuer = Enqueuer(database: q.database, now: { 1000 })
        var ids: [String: [Int64]] = [:]
        for (mod, seeds) in [("a", 1...2), ("b", 3...4), ("c", 5...6)] {
            ids[mod] = try await enqueuer.enqueueUploads(mod: mod, paths: try q.pngs(seeds)).queued
        }
        var order: [Int64] = []
        var now = 1000.0
        while let claim = try await q.store.claim(by: ClaimStoreTests.here, now: now, leaseSeconds: 60) {
            order.append(claim.job.id)
            now += 1
            // A failure and a retry end a claim as an upload does: each sends its mod to the back.
            try await q.store.fail(claim, failure: JobFailure(.fileUnreadable, "gone"), now: now)
        }
        let (a, b, c) = (try #require(ids["a"]), try #require(ids["b"]), try #require(ids["c"]))
        #expect(order == [a[0], b[0], c[0], a[1], b[1], c[1]])
    }

    /// Every process but `pid` is gone.
    struct OnlyPid: ProcessProbe {
        let pid: Int32
        func isRunning(pid: Int32, startedAt: Int64?) -> Bool { pid == self.pid }
    }
}
