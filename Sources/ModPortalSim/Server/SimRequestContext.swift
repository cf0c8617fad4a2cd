import Hummingbird
import NIOCore

/// The request context of the simulator's routes: Hummingbird's basics plus the connection,
/// which the reset, truncated and lost-upload faults close by hand.
struct SimRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
