import Foundation

/// Time as the worker sees it, so tests can drive it without waiting.
public protocol WorkerClock: Sendable {
    /// Unix seconds.
    func now() -> Double
    /// Waits `seconds`, or less if the task is cancelled.
    func sleep(seconds: Double) async
}

public struct SystemClock: WorkerClock {
    public init() {}
    public func now() -> Double { Date().timeIntervalSince1970 }
    public func sleep(seconds: Double) async {
        guard seconds > 0 else { return }
        try? await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
    }
}
