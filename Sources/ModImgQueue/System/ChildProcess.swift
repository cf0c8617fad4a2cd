import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started with `posix_spawn`, for `--on-finish` and for the tests that run
/// the binaries. Not Foundation's `Process`: on Linux, Swift 6.3.1's `Process.run()` scans
/// `/proc/self/fd` with a struct copy that can read past the end of glibc's `readdir` buffer
/// and crash the calling process at random (swift-corelibs-foundation pull request 5472); it
/// crashed 2 runs of `make test` in 10 here. Only what those callers use: arguments, the
/// environment, a working directory, standard input from `/dev/null`, standard output and error
/// inherited, discarded or piped, the exit status and signals.
public final class ChildProcess: Sendable {
    /// Where the child's standard output or error goes.
    public enum Output: Sendable {
        case inherit, discard, pipe
    }

    /// How the child ended: its exit status, or the signal that ended it (`signalled`).
    public struct Termination: Sendable, Equatable {
        public let status: Int32
        public let signalled: Bool
    }

    public let processIdentifier: Int32
    /// The read ends of the pipes asked for with `.pipe`.
    public let standardOutput: FileHandle?
    public let standardError: FileHandle?
    private let ended = Mutex<Termination?>(nil)
    private let exit = DispatchGroup()

    /// Starts `executable` (a path; no search of `PATH`) with `arguments` and exactly
    /// `environment`. `onExit` is called once, on a thread of its own, when the child has ended.
    public init(
        executable: String, arguments: [String], environment: [String: String], currentDirectory: String? = nil,
        standardOutput: Output = .inherit, standardError: Output = .inherit,
        onExit: (@Sendable (Termination) -> Void)? = nil
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var parentEnds: [Int32] = []
        var childEnds: [Int32] = []
        defer { for fd in childEnds { close(fd) } }
        func redirect(_ output: Output, to target: Int32) throws -> FileHandle? {
            switch output {
            case .inherit:
                return nil
            case .discard:
                let fd = open("/dev/null", O_WRONLY | O_CLOEXEC)
                guard fd >= 0 else { throw Self.error("open /dev/null") }
                childEnds.append(fd)
                posix_spawn_file_actions_adddup2(&actions, fd, target)
                return nil
            case .pipe:
                var fds: [Int32] = [-1, -1]
                guard pipe(&fds) == 0 else { throw Self.error("pipe") }
                // Close-on-exec, so no other child inherits them (glibc's pipe2 is not imported).
                for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
                parentEnds.append(fds[0])
                childEnds.append(fds[1])
                posix_spawn_file_actions_adddup2(&actions, fds[1], target)
                return FileHandle(fileDescriptor: fds[0], closeOnDealloc: true)
            }
        }
        let input = open("/dev/null", O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw Self.error("open /dev/null") }
        childEnds.append(input)
        posix_spawn_file_actions_adddup2(&actions, input, 0)
        let out = try redirect(standardOutput, to: 1)
        let err = try redirect(standardError, to: 2)
        // Nothing else of this process reaches the child (emulates Darwin's CLOEXEC_DEFAULT).
        if let closeFrom = Self.closeFrom { _ = closeFrom(&actions, 3) }
        if let currentDirectory {
            guard let changeDirectory = Self.changeDirectory else { throw Self.error("posix_spawn_file_actions_addchdir_np") }
            _ = changeDirectory(&actions, currentDirectory)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group, an empty signal mask and default handlers, as a shell starts it.
        posix_spawnattr_setpgroup(&attributes, 0)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGCHLD, SIGUSR1, SIGUSR2, SIGALRM] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in envp { free(pointer) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard status == 0 else {
            for fd in parentEnds { close(fd) }
            throw Self.error("posix_spawn \(executable)", code: status)
        }
        processIdentifier = pid
        let child = pid
        self.standardOutput = out
        self.standardError = err
        exit.enter()
        Thread.detachNewThread { [self] in
            var raw: Int32 = 0
            while waitpid(child, &raw, 0) == -1 && errno == EINTR {}
            // WIFEXITED / WTERMSIG, which Swift does not import: the low 7 bits are the signal.
            let signal = raw & 0x7f
            let termination = Termination(status: signal == 0 ? (raw >> 8) & 0xff : signal, signalled: signal != 0)
            ended.withLock { $0 = termination }
            onExit?(termination)
            exit.leave()
        }
    }

    public var isRunning: Bool { ended.withLock { $0 == nil } }

    /// How it ended; nil while it runs.
    public var termination: Termination? { ended.withLock { $0 } }

    /// Blocks this thread until the child has ended (and `onExit` has returned).
    @discardableResult
    public func waitUntilExit() -> Termination {
        exit.wait()
        return ended.withLock { $0 } ?? Termination(status: -1, signalled: false)
    }

    public func send(_ signal: Int32) {
        guard isRunning else { return }
        kill(processIdentifier, signal)
    }

    private typealias FileActionsInt = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias FileActionsPath = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    /// glibc's extensions (2.34 and 2.29), which Swift's Glibc module does not import.
    private static let closeFrom: FileActionsInt? = symbol("posix_spawn_file_actions_addclosefrom_np")
    private static let changeDirectory: FileActionsPath? = symbol("posix_spawn_file_actions_addchdir_np")

    private static func symbol<T>(_ name: String) -> T? {
        guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(address, to: T.self)
    }

    private static func error(_ what: String, code: Int32 = errno) -> NSError {
        NSError(
            domain: NSPOSIXErrorDomain, code: Int(code),
            userInfo: [NSLocalizedDescriptionKey: "\(what): \(String(cString: strerror(code)))"])
    }
}
