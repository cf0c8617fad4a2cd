import CSQLite

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How a connection waits for another connection's lock: short sleeps (a quarter of a
/// millisecond, growing to two) until the timeout, so that a waiter takes the lock soon after
/// it is released. SQLite's own busy timeout sleeps up to 100 ms at a time, long enough for
/// writers in other processes to take the lock again and again meanwhile.
final class BusyWait {
    let timeoutNanoseconds: UInt64
    private var startedAt: UInt64 = 0

    init(timeoutMilliseconds: Int32) {
        timeoutNanoseconds = UInt64(max(0, timeoutMilliseconds)) * 1_000_000
    }

    /// SQLite's busy handler: `attempt` counts the calls for this one lock, from 0. Returns
    /// whether to try again.
    func shouldRetry(attempt: Int32) -> Bool {
        let now = Self.monotonicNanoseconds()
        if attempt == 0 { startedAt = now }
        guard now &- startedAt < timeoutNanoseconds else { return false }
        usleep(attempt < 8 ? 250 : attempt < 40 ? 1_000 : 2_000)
        return true
    }

    static func monotonicNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// Installs `wait` as `handle`'s busy handler; the caller keeps `wait` alive as long as the handle.
    static func install(_ wait: BusyWait, on handle: OpaquePointer) {
        sqlite3_busy_handler(
            handle,
            { context, attempt in
                guard let context else { return 0 }
                return Unmanaged<BusyWait>.fromOpaque(context).takeUnretainedValue().shouldRetry(attempt: attempt) ? 1 : 0
            }, Unmanaged.passUnretained(wait).toOpaque())
    }
}
