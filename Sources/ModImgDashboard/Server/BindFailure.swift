import Glibc
import NIOCore

extension BindAddress {
    /// One sentence for a failure to start listening here: what is wrong and what to do, without
    /// the system call's name (`bind(descriptor:ptr:bytes:)`) and its errno.
    public func sentence(forFailure error: any Error) -> String {
        let place = "\(host) port \(port)"
        switch (error as? IOError)?.errnoCode {
        case EADDRINUSE:
            return "cannot serve on \(place): another program is listening there; stop it or pick another port with --port (0 picks a free one)."
        case EACCES:
            return "cannot serve on \(place): this user may not listen on that port; pick one above 1023 with --port."
        case EADDRNOTAVAIL:
            return "cannot serve on \(place): this machine has no such address; give one of its own with --host, or leave it out for 127.0.0.1."
        default:
            return "cannot serve on \(place): \(error)."
        }
    }
}
