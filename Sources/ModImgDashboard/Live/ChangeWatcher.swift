import Foundation
import ModImgQueue
import Synchronization

/// Tells every subscriber when the queue database changed, by polling SQLite's
/// `PRAGMA data_version` on a connection of its own (it moves when any other connection, in
/// this process or another, commits). It polls only while someone listens.
public final class ChangeWatcher: Sendable {
    private struct State {
        var subscribers: [UUID: AsyncStream<Int>.Continuation] = [:]
        var poller: Task<Void, Never>?
        var closed = false
    }

    private let database: QueueDatabase
    private let interval: Duration
    private let state = Mutex(State())

    /// `database` must be a connection used for nothing else.
    public init(database: QueueDatabase, interval: Duration = .milliseconds(400)) {
        self.database = database
        self.interval = interval
    }

    /// A stream of data versions: every change committed after this returns is reported (changes
    /// less than one poll apart as one). It ends when the watcher is closed; cancelling its
    /// consumer unsubscribes.
    public func changes() async -> AsyncStream<Int> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<Int>.makeStream(bufferingPolicy: .bufferingNewest(1))
        continuation.onTermination = { [weak self] _ in self?.unsubscribe(id) }
        let start = state.withLock { state -> Bool in
            guard !state.closed else { return false }
            state.subscribers[id] = continuation
            return state.poller == nil
        }
        if state.withLock({ $0.closed }) { continuation.finish() }
        if start { startPolling(from: try? await database.dataVersion()) }
        return stream
    }

    /// Ends every stream; no new one gets a change.
    public func close() {
        let (subscribers, poller) = state.withLock { state in
            state.closed = true
            defer {
                state.subscribers = [:]
                state.poller = nil
            }
            return (Array(state.subscribers.values), state.poller)
        }
        poller?.cancel()
        for subscriber in subscribers { subscriber.finish() }
    }

    private func unsubscribe(_ id: UUID) {
        let poller = state.withLock { state -> Task<Void, Never>? in
            state.subscribers[id] = nil
            guard state.subscribers.isEmpty else { return nil }
            defer { state.poller = nil }
            return state.poller
        }
        poller?.cancel()
    }

    private func startPolling(from baseline: Int?) {
        let task = Task { [database, interval, weak self] in
            var last = baseline
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard let version = try? await database.dataVersion() else { continue }
                if version != last {
                    last = version
                    self?.publish(version)
                }
            }
        }
        state.withLock { state in
            if state.poller == nil && !state.subscribers.isEmpty && !state.closed {
                state.poller = task
            } else {
                task.cancel()
            }
        }
    }

    private func publish(_ version: Int) {
        for subscriber in state.withLock({ Array($0.subscribers.values) }) { subscriber.yield(version) }
    }
}
