import Foundation
import ModImgQueue
import ServiceLifecycle
import Synchronization
import UnixSignals

/// The worker as a service: a graceful shutdown (SIGINT/SIGTERM) asks it to finish its
/// requests in flight, abandoning any still running after a short grace, and to release its
/// claims; a second signal ends the process at once.
final class WorkerService: Service, Sendable {
    let worker: Worker
    private let result = Mutex(WorkerReport())

    init(worker: Worker) {
        self.worker = worker
    }

    /// What the worker did, once `run()` has returned.
    var report: WorkerReport { result.withLock { $0 } }

    func run() async throws {
        let report = await withGracefulShutdownHandler {
            await worker.run()
        } onGracefulShutdown: { [worker] in
            worker.stop()
            Task {
                for await _ in await UnixSignalsSequence(trapping: .sigint, .sigterm) { exit(130) }
            }
        }
        result.withLock { $0 = report }
    }
}
