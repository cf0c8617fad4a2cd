import Foundation
import SQLiteStore

/// Turns gallery specs into upload and reorder jobs: uploads only what the mod's gallery —
/// its listing read against the gallery model (`GalleryModel`), or with `--offline` this
/// database's history — does not have yet, then one reorder that depends on those uploads. Listing reads happen before; the dedupe against queued and
/// uploaded work and every insert happen inside one write transaction, so two `enqueue`s at
/// the same moment leave exactly one plan's jobs.
public struct EnqueuePlanner: Sendable {
    let database: QueueDatabase
    let now: @Sendable () -> Double

    public init(database: QueueDatabase, now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.database = database
        self.now = now
    }

    /// The plan, queueing nothing (`--dry-run`). Checks and hashes every file of every mod
    /// first: one bad file throws before anything is planned. `galleries` holds the public
    /// listing of each mod that could be read.
    /// `leftOut`: what of the folder is left out outside any mod (`GallerySource.leftOut`).
    public func plan(
        _ specs: [GallerySpec], galleries: [String: [String]], maxBytes: Int64 = ImageFile.defaultMaxBytes,
        leftOut: [LeftOutFile] = []
    ) async throws -> EnqueuePlan {
        let files = try Self.inspect(specs, maxBytes: maxBytes)
        return try await database.read { db in
            try Self.plan(db, specs: specs, files: files, galleries: galleries, leftOut: leftOut)
        }
    }

    /// Plans and queues in one write transaction: the plan is made against the queue as it is
    /// while the write lock is held. Returns the plan and what was queued.
    public func enqueue(
        _ specs: [GallerySpec], galleries: [String: [String]], maxBytes: Int64 = ImageFile.defaultMaxBytes,
        leftOut: [LeftOutFile] = []
    ) async throws -> (plan: EnqueuePlan, outcome: EnqueueOutcome) {
        let files = try Self.inspect(specs, maxBytes: maxBytes)
        let time = now()
        return try await database.write { db in
            let plan = try Self.plan(db, specs: specs, files: files, galleries: galleries, leftOut: leftOut)
            return (plan, try Self.apply(plan, db, now: time))
        }
    }

    private static func inspect(_ specs: [GallerySpec], maxBytes: Int64) throws -> [[ImageFile]] {
        try specs.map { spec in
            try spec.imagePaths.map { path throws(ImageFileError) in try ImageFile.inspect(path: path, maxBytes: maxBytes) }
        }
    }

    private static func plan(
        _ db: Connection, specs: [GallerySpec], files: [[ImageFile]], galleries: [String: [String]], leftOut: [LeftOutFile]
    ) throws -> EnqueuePlan {
        var plans: [ModPlan] = []
        for (spec, files) in zip(specs, files) {
            plans.append(try planMod(db, spec: spec, files: files, gallery: galleries[spec.mod]))
        }
        return EnqueuePlan(
            mods: plans, unreachableGalleries: specs.map(\.mod).filter { galleries[$0] == nil }, leftOut: leftOut)
    }

    private static func planMod(_ db: Connection, spec: GallerySpec, files: [ImageFile], gallery listing: [String]?) throws
        -> ModPlan
    {
        let known = try KnownImages.load(db, mod: spec.mod)
        // The listing may lag: what this queue uploaded or took out is the model's to say.
        let model = try GalleryLog.model(db, mod: spec.mod)
        let gallery = listing.map { model.expected(listing: $0) }
        var plan = ModPlan(mod: spec.mod, prune: spec.prune)
        plan.currentGallery = gallery
        plan.knownFiles = known.files
        plan.leftOut = spec.leftOut
        let inGallery = Set(gallery ?? [])
        // Each image's first file: a later file of the same bytes is left out, naming it.
        var firstFile: [String: String] = [:]
        for file in files {
            if let original = firstFile[file.sha1] {
                plan.leftOut.append(LeftOutFile(path: file.path, reason: .duplicate(of: original)))
                continue
            }
            firstFile[file.sha1] = file.path
            plan.listedOrder.append(file.sha1)
            if gallery != nil, inGallery.contains(file.sha1) {
                plan.alreadyThere.append((file, "in the gallery"))
            } else if gallery == nil, known.uploaded.contains(file.sha1) {
                plan.alreadyThere.append((file, "uploaded before (the gallery could not be read)"))
            } else if let job = known.pending[file.sha1] {
                plan.alreadyQueued.append((file, job))
            } else {
                plan.toUpload.append(file)
            }
        }
        let nothingToWaitFor = plan.toUpload.isEmpty && plan.alreadyQueued.isEmpty
        if nothingToWaitFor, let gallery, gallery == plan.finalOrder {
            plan.reorder = .notNeeded
        } else if let job = try matchingReorder(db, mod: spec.mod, ids: plan.listedOrder, keepUnlisted: !spec.prune, open: true) {
            plan.reorder = .alreadyQueued(job: job)
        } else if nothingToWaitFor, gallery == nil,
            try matchingReorder(db, mod: spec.mod, ids: plan.listedOrder, keepUnlisted: !spec.prune, open: false) != nil
        {
            plan.reorder = .notNeeded
        }
        return plan
    }

    /// The newest reorder of `mod` to exactly these ids: waiting (`open`) or done.
    private static func matchingReorder(_ db: Connection, mod: String, ids: [String], keepUnlisted: Bool, open: Bool) throws -> Int64? {
        let states = open ? JobSQL.openStates : "('done')"
        return try db.row(
            """
            SELECT id FROM jobs WHERE kind = 'reorder' AND mod = ? AND image_ids = ? AND keep_unlisted = ?
              AND state IN \(states) ORDER BY id DESC LIMIT 1
            """, [mod, ids.joined(separator: ","), keepUnlisted]
        )?.int("id").map(Int64.init)
    }

    /// Writes the plan's jobs inside the caller's transaction.
    private static func apply(_ plan: EnqueuePlan, _ db: Connection, now time: Double) throws -> EnqueueOutcome {
        var outcome = EnqueueOutcome()
        var inserter = JobInserter(db: db, now: time)
        for mod in plan.mods {
            var dependencies = mod.alreadyQueued.map(\.job)
            for file in mod.toUpload {
                let id = try inserter.insert(kind: .upload, mod: mod.mod, file: file, imageIDs: nil)
                dependencies.append(id)
                outcome.uploadJobs.append(id)
            }
            guard mod.reorder == .queue else { continue }
            outcome.reorderJobs.append(
                try inserter.insert(
                    kind: .reorder, mod: mod.mod, file: nil, imageIDs: mod.listedOrder, keepUnlisted: !mod.prune,
                    dependsOn: dependencies))
        }
        try inserter.finish()
        return outcome
    }
}
