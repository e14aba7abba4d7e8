import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A `latchkey` server on a fresh database of its own, driven the way an operator drives
/// it: CLI commands against the database, `serve` as a child process, signals to stop.
///
/// Everything lives in a private temporary folder that is removed with the object; a
/// server still running then is killed. Set `LATCHKEY_KEEP_TEST_FILES=1` to keep the
/// folder (database and `server.log`) for a post-mortem.
final class TestServer: Sendable {
    /// The private folder holding the database, the log and scratch files.
    let folder: URL
    /// What `--database` receives, for `serve` and for every CLI command.
    let databaseURL: String
    /// Where the server's standard error and output go, across restarts.
    let logFile: URL

    private let executable: URL
    private let state = Mutex(State())

    private struct State {
        var process: ChildProcess?
        var port: UInt16?
    }

    /// How long `start` waits for the "server started" line once its turn has come.
    static let startTimeout = Duration.seconds(30)

    /// Starts are the CPU-heavy moment of a test server's life (migrations, the warmed
    /// password hash), so only as many run at once as there are cores.
    private static let startGate = AsyncGate(
        width: ProcessInfo.processInfo.activeProcessorCount)

    /// Prepares a folder with an empty SQLite database path; `databaseURL` overrides it
    /// (a PostgreSQL URL shared by several servers, once that backend exists).
    init(databaseURL: String? = nil) throws {
        executable = try LatchkeyBinary.url
        folder = try CommandRunner.makeTemporaryFolder()
        self.databaseURL =
            databaseURL ?? "sqlite:" + folder.appendingPathComponent("latchkey.db").path
        logFile = folder.appendingPathComponent("server.log")
        guard FileManager.default.createFile(atPath: logFile.path, contents: nil) else {
            throw HarnessError("could not create \(logFile.path)")
        }
    }

    deinit {
        state.withLock { $0.process }?.signal(SIGKILL)
        if ProcessInfo.processInfo.environment["LATCHKEY_KEEP_TEST_FILES"] != "1" {
            try? FileManager.default.removeItem(at: folder)
        }
    }

    // MARK: - Command line

    /// Runs `latchkey ARGUMENTS --database URL` to completion; `--database` is added
    /// unless `arguments` already name one. `stdin` is sent as is (`"secret\n"`). On
    /// PostgreSQL the command gets the servers' key encryption key, as `serve` does.
    func run(_ arguments: [String], stdin: String? = nil) throws -> CommandResult {
        let namesDatabase = arguments.contains { $0 == "--database" || $0.hasPrefix("--database=") }
        let fullArguments = namesDatabase ? arguments : arguments + ["--database", databaseURL]
        return try CommandRunner.run(
            executable, fullArguments, stdin: stdin,
            environment: ChildEnvironment.make(adding: serveEnvironment([:])), in: folder)
    }

    // MARK: - Serving

    /// Whether the `serve` process is alive.
    var isRunning: Bool {
        state.withLock { $0.process }.map { !$0.hasExited } ?? false
    }

    /// `http://127.0.0.1:PORT` of the last successful `start`. Reading it before that
    /// records a test issue (and yields port 0, which refuses every connection).
    var baseURL: URL {
        guard let port = state.withLock({ $0.port }) else {
            Issue.record("TestServer.baseURL was read before start() succeeded")
            return URL(string: "http://127.0.0.1:0")!
        }
        return URL(string: "http://127.0.0.1:\(port)")!
    }

    /// `baseURL` plus `path` (starting with `/`) and an encoded query.
    func url(_ path: String, query: [(String, String)] = []) -> URL {
        URL(string: baseURL.absoluteString + path)!.addingQuery(query)
    }

    /// Launches `latchkey serve --host 127.0.0.1 --port 0 --database URL EXTRA...` and
    /// waits (at most `startTimeout`, after waiting for its turn among concurrent starts)
    /// for its "server started" line to learn the port.
    ///
    /// Throws with everything the process wrote if it exits or stays silent instead.
    /// Calling it again after `stop` or `kill9` restarts on the same database, on a new
    /// port. `environment` adds variables (`LATCHKEY_` ones from the test's own
    /// environment are never passed on).
    @discardableResult
    func start(extraArguments: [String] = [], environment: [String: String] = [:])
        async throws -> URL
    {
        guard !isRunning else {
            throw HarnessError("TestServer.start() was called while the server is running")
        }

        await Self.startGate.enter()
        do {
            try await launch(extraArguments: extraArguments, environment: environment)
            await Self.startGate.leave()
        } catch {
            await Self.startGate.leave()
            throw error
        }
        return baseURL
    }

    /// Every process on one PostgreSQL database must seal signing keys and hash client
    /// secrets with the same key (SQLite makes its own file instead), so the PostgreSQL
    /// servers and commands of the tests share this one unless a test brings its own.
    static let postgresKeyEncryptionKey = String(repeating: "5eed", count: 16)

    private func serveEnvironment(_ environment: [String: String]) -> [String: String] {
        guard databaseURL.hasPrefix("postgres") else { return environment }
        var environment = environment
        if environment["LATCHKEY_KEY_ENCRYPTION_KEY"] == nil {
            environment["LATCHKEY_KEY_ENCRYPTION_KEY"] = Self.postgresKeyEncryptionKey
        }
        return environment
    }

    private func launch(extraArguments: [String], environment: [String: String]) async throws {
        // Appending keeps earlier runs in logText(); the start line is looked for only
        // in what this run writes.
        let offset =
            try FileManager.default.attributesOfItem(atPath: logFile.path)[.size]
            as? UInt64 ?? 0
        let log = try FileHandle(forWritingTo: logFile)
        defer { try? log.close() }
        try log.seekToEnd()

        let arguments =
            ["serve", "--host", "127.0.0.1", "--port", "0", "--database", databaseURL]
            + extraArguments
        let process = try ChildProcess(
            executable: executable, arguments: arguments,
            environment: ChildEnvironment.make(adding: serveEnvironment(environment)),
            workingDirectory: folder,
            standardInput: nil, standardOutput: log, standardError: log)
        state.withLock {
            $0.process = process
            $0.port = nil
        }

        let port = try await waitForStartLine(of: process, loggedAfter: offset)
        state.withLock { $0.port = port }
    }

    /// Sends SIGTERM, waits up to `timeout` and returns the exit status as a shell
    /// reports it (0 for the clean shutdown SPEC §10 asks for, 128 + N for signal N).
    ///
    /// Throws if the server was not running or ignored SIGTERM (it is killed then).
    @discardableResult
    func stop(timeout: Duration = .seconds(10)) async throws -> Int32 {
        let process = try runningProcess(for: "stop()")

        process.signal(SIGTERM)

        guard let status = await process.waitForExit(within: timeout) else {
            await process.kill9()
            throw HarnessError("latchkey serve still ran \(timeout) after SIGTERM; killed it")
        }
        return status.code
    }

    /// Kills the server with SIGKILL, as a crash or power cut would, and waits for it.
    func kill9() async throws {
        let process = try runningProcess(for: "kill9()")

        await process.kill9()
        // The server leaves no descendants, so Foundation sees the exit at once.
        _ = await process.waitForExit(within: .seconds(5))
    }

    /// Stops the server (when it runs) and starts it again on the same database.
    @discardableResult
    func restart(extraArguments: [String] = [], environment: [String: String] = [:])
        async throws -> URL
    {
        if isRunning {
            try await stop()
        }
        return try await start(extraArguments: extraArguments, environment: environment)
    }

    private func runningProcess(for caller: String) throws -> ChildProcess {
        guard let process = state.withLock({ $0.process }) else {
            throw HarnessError("TestServer.\(caller) was called before start()")
        }
        if let status = process.exitStatus {
            throw HarnessError(
                "TestServer.\(caller): latchkey serve had already \(status); it wrote:\n"
                    + logText())
        }
        return process
    }

    private func waitForStartLine(of process: ChildProcess, loggedAfter offset: UInt64)
        async throws -> UInt16
    {
        let deadline = ContinuousClock.now + Self.startTimeout
        while ContinuousClock.now < deadline {
            let written = logText(from: offset)
            if let port = Self.announcedPort(in: written) {
                return port
            }
            if let status = process.exitStatus {
                throw HarnessError(
                    "latchkey serve \(status) before announcing its port; it wrote:\n"
                        + written)
            }
            try await Task.sleep(for: .milliseconds(20))
        }

        await process.kill9()
        throw HarnessError(
            "latchkey serve wrote no \"server started\" line within \(Self.startTimeout);"
                + " killed it. It wrote:\n" + logText(from: offset))
    }
}
