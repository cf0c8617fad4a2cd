/// Why `PortalSimulator.start()` failed.
public enum SimulatorError: Error, Sendable, CustomStringConvertible {
    /// `start()` was called while another `start()` was still binding.
    case alreadyStarting
    /// The server stopped before it was listening.
    case stoppedBeforeListening

    public var description: String {
        switch self {
        case .alreadyStarting: "The simulator is already starting"
        case .stoppedBeforeListening: "The simulator's server stopped before it was listening"
        }
    }
}
