/// The `history --json` shape.
public struct HistoryJSON: Encodable, Sendable {
    public let entry: HistoryEntry

    public init(_ entry: HistoryEntry) {
        self.entry = entry
    }

    enum Keys: String, CodingKey { case id, url, thumbnail, file, uploaded_at, job }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(entry.id, forKey: .id)
        try container.encode(entry.url, forKey: .url)
        try container.encode(entry.thumbnail, forKey: .thumbnail)
        try container.encode(entry.file, forKey: .file)
        try container.encode(Timestamps.format(entry.uploadedAt), forKey: .uploaded_at)
        try container.encode(entry.job, forKey: .job)
    }
}
