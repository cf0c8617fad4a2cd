/// The portal calls the simulator counts, limits and can fail.
public enum SimCall: String, Sendable, Codable, CaseIterable {
    case add, upload, edit, full
}
