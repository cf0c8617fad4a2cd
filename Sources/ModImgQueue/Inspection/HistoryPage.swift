import SQLiteStore

extension QueueQueries {
    /// One page of a mod's upload history (as `history` lists it), newest first unless the
    /// request says otherwise, read through the `images_mod` index from the cursor on.
    public func history(mod: String, page request: PageRequest) async throws -> Page<HistoryEntry> {
        let keyset = request.keyset("id")
        let sql = """
            SELECT id, image_id, url, thumbnail, file_path, uploaded_at, job_id FROM images
            WHERE mod = ? \(keyset.condition.map { "AND " + $0 } ?? "") \(keyset.order) LIMIT ?
            """
        let size = min(max(request.limit, 1), PageRequest.maximumLimit)
        let bindings: [any SQLiteBindable] = [mod] + keyset.bindings + [size + 1]
        let rows = try await database.read { db in
            try db.rows(sql, bindings).map { row in
                (
                    id: Int64(row.int("id") ?? 0),
                    item: HistoryEntry(
                        id: row.string("image_id") ?? "", url: row.string("url") ?? "",
                        thumbnail: row.string("thumbnail") ?? "", file: row.string("file_path"),
                        uploadedAt: row.double("uploaded_at") ?? 0, job: row.int("job_id").map(Int64.init))
                )
            }
        }
        return PageRequest(limit: size).page(rows)
    }
}
