import Hummingbird
import NIOCore

/// The context of every dashboard request: Hummingbird's basic one, and the connection's channel,
/// whose event loop a streamed body waits on (see `FileStream`).
public struct DashboardContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
