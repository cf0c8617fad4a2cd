import Foundation

/// Runs a command on a pseudo-terminal of a given width (through Python's `pty`), as a person
/// at a terminal would see it: everything it wrote to the terminal, escapes and carriage
/// returns included, in one string (stdout and stderr together, as on a screen).
public enum PseudoTerminal {
    static let script = """
        import fcntl, os, pty, struct, sys, termios
        columns = int(sys.argv[1])
        pid, fd = pty.fork()
        if pid == 0:
            fcntl.ioctl(sys.stdout.fileno(), termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
            os.execv(sys.argv[2], sys.argv[2:])
        out = bytearray()
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        _, status = os.waitpid(pid, 0)
        sys.stdout.buffer.write(bytes(out))
        sys.exit(os.waitstatus_to_exitcode(status) & 0xFF)
        """

    /// `executable arguments…` on a terminal `columns` wide; `stdout` holds the screen's bytes.
    public static func run(
        _ executable: URL, _ arguments: [String], columns: Int = 80, environment: [String: String] = [:]
    ) async throws -> CommandResult {
        try await CommandRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, "\(columns)", executable.path] + arguments,
            environment: environment)
    }
}
