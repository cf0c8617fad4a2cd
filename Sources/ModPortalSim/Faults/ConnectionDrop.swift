#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Hummingbird
import NIOCore

/// Ends a connection without an HTTP answer.
///
/// Hummingbird always writes a response once a responder returns, and turns a thrown error into a
/// 500, so the only way to answer nothing is to close the channel first; the response it then
/// tries to write fails on the closed channel and is dropped.
enum ConnectionDrop {
    /// Closes with SO_LINGER 0, so the kernel sends a TCP RST ("Connection reset by peer").
    static func reset(_ channel: any Channel) async {
        if let socket = channel as? any SocketOptionProvider {
            try? await socket.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
        }
        try? await channel.close().get()
    }

    /// Closes normally (FIN): the client sees the connection end with no reply ("Empty reply from server").
    static func close(_ channel: any Channel) async {
        try? await channel.close().get()
    }

    /// What the responder returns after a drop; it never reaches the wire.
    static var unsent: Response { Response(status: .internalServerError) }
}
