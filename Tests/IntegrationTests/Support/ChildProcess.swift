import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A child process whose standard streams go to files, which can be signalled and waited
/// for with a deadline, and which is killed if its owner goes away first.
///
/// Files rather than pipes: a child that writes more than a pipe holds while nobody reads
/// would block forever, and writing to a pipe whose reader has exited raises SIGPIPE in
/// the test process.
///
/// Foundation reports the exit (`isRunning`, `exitStatus`) only once every descendant
/// that inherited the child's descriptors has gone too; `hasExited` does not wait for
/// them. A child that leaves a process behind (`sh -c 'sleep 30'` forks `sleep`) looks
/// alive to the former until that process ends.
final class ChildProcess: Sendable {
    /// The program that was launched.
    let executable: URL

    private let process: Process

    /// Launches `executable`; a `nil` input reads as an empty stream, never the terminal.
    init(
        executable: URL, arguments: [String], environment: [String: String],
        workingDirectory: URL, standardInput: FileHandle?, standardOutput: FileHandle,
        standardError: FileHandle
    ) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = workingDirectory
        process.standardInput = standardInput ?? FileHandle.nullDevice
        process.standardOutput = standardOutput
        process.standardError = standardError

        do {
            try process.runWithUnblockedSignals()
        } catch {
            throw HarnessError("could not launch \(executable.path): \(error)")
        }
        self.executable = executable
        self.process = process
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
    }

    /// The operating system's process ID.
    var identifier: Int32 { process.processIdentifier }

    /// Whether the process has not yet exited.
    var isRunning: Bool { process.isRunning }

    /// How the process ended, or `nil` while it runs.
    var exitStatus: ExitStatus? {
        guard !process.isRunning else {
            return nil
        }
        switch process.terminationReason {
        case .exit: return .exited(process.terminationStatus)
        case .uncaughtSignal: return .signaled(process.terminationStatus)
        @unknown default: return .exited(process.terminationStatus)
        }
    }

    /// Sends `number` (`SIGTERM`, `SIGKILL`...) unless the process has already exited.
    func signal(_ number: Int32) {
        guard process.isRunning else {
            return
        }
        kill(process.processIdentifier, number)
    }

    /// Waits without blocking a thread; `nil` if it is still running at the deadline.
    func waitForExit(within timeout: Duration) async -> ExitStatus? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = exitStatus {
                return status
            }
            try? await Task.sleep(for: Self.pollInterval)
        }
        return exitStatus
    }

    /// Waits on the calling thread; for the short synchronous CLI commands.
    func waitForExitBlocking(within timeout: Duration) -> ExitStatus? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = exitStatus {
                return status
            }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return exitStatus
    }

    /// Whether the process has exited, even if Foundation has not noticed yet.
    ///
    /// Foundation on Linux learns that a child exited when a socket the child inherited
    /// closes, so a grandchild holding it delays `isRunning` (and `exitStatus`): Chromium's
    /// crash handler outlives ChromeDriver by seconds. The kernel's state in `/proc` does
    /// not wait; an exited child stays a zombie there until Foundation reaps it.
    var hasExited: Bool {
        guard process.isRunning else {
            return true
        }
        #if os(Linux)
            let statFile = "/proc/\(process.processIdentifier)/stat"
            guard let stat = try? String(contentsOfFile: statFile, encoding: .utf8) else {
                return true
            }
            // "PID (NAME) STATE ...": NAME may hold spaces and parentheses.
            guard let nameEnd = stat.lastIndex(of: ")") else {
                return false
            }
            let state = stat[stat.index(after: nameEnd)...].drop { $0 == " " }.first
            return state == "Z" || state == "X"
        #else
            return false
        #endif
    }

    /// Waits until `hasExited`; `false` if the process is still there at the deadline.
    func waitUntilGone(within timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !hasExited {
            guard ContinuousClock.now < deadline else {
                return false
            }
            try? await Task.sleep(for: Self.pollInterval)
        }
        return true
    }

    /// Kills the process if it is still running and waits briefly for it to go.
    func kill9() async {
        signal(SIGKILL)
        _ = await waitUntilGone(within: .seconds(5))
    }

    private static let pollInterval = Duration.milliseconds(10)
}
