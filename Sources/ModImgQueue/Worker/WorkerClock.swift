import Foundation
import ModPortal

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
        // A wait of any length (even infinite) is at most a day at a time; callers loop.
        try? await Task.sleep(for: .clamped(seconds: seconds))
    }
}
