import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a finished command wrote and how it ended (`status` as a shell reports it).
typealias CommandResult = (status: Int32, stdout: String, stderr: String)

/// Runs a command to completion, with its input and output in files.
enum CommandRunner {
    /// Runs `executable` and returns its exit status and output.
    ///
    /// - Parameters:
    ///   - stdin: Written to the command's standard input as is (add the `\n` yourself);
    ///     `nil` gives it an empty input, so a command that would prompt sees end of file.
    ///   - folder: Where the command runs and its scratch files live; a fresh temporary
    ///     folder, removed afterwards, when `nil`.
    ///   - timeout: After this the command is killed and the call throws.
    static func run(
        _ executable: URL, _ arguments: [String], stdin: String? = nil,
        environment: [String: String] = ChildEnvironment.make(), in folder: URL? = nil,
        timeout: Duration = .seconds(60)
    ) throws -> CommandResult {
        let command = try Launched(executable, arguments, stdin, environment, folder)
        defer { command.removeFiles() }

        let status = command.process.waitForExitBlocking(within: timeout)

        return try command.result(status, timeout: timeout) {
            _ = command.process.waitForExitBlocking(within: .seconds(5))
        }
    }

    /// `run` for async code: waits by suspending instead of blocking a thread, for
    /// commands that may take long (`curl` waiting for a page to load).
    static func runAsync(
        _ executable: URL, _ arguments: [String], stdin: String? = nil,
        environment: [String: String] = ChildEnvironment.make(), in folder: URL? = nil,
        timeout: Duration = .seconds(60)
    ) async throws -> CommandResult {
        let command = try Launched(executable, arguments, stdin, environment, folder)
        defer { command.removeFiles() }

        let status = await command.process.waitForExit(within: timeout)

        if status == nil {
            await command.process.kill9()
        }
        return try command.result(status, timeout: timeout) {}
    }

    /// The program and its first two arguments: enough to recognise the command, and
    /// never a later argument, which may be a token (`latchkey token revoke TOKEN`).
    static func summary(of executable: URL, _ arguments: [String]) -> String {
        ([executable.lastPathComponent] + arguments.prefix(2)).joined(separator: " ")
    }

    static func makeTemporaryFolder(prefix: String = "latchkey-test") throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// A launched command with its scratch files.
    private struct Launched {
        let executable: URL
        let arguments: [String]
        let process: ChildProcess
        let scratch: URL
        let ownsScratch: Bool
        let files: (input: URL, output: URL, errors: URL)

        init(
            _ executable: URL, _ arguments: [String], _ stdin: String?,
            _ environment: [String: String], _ folder: URL?
        ) throws {
            let scratch = try folder ?? makeTemporaryFolder()
            // Unique names, so that commands run in parallel in one folder never mix.
            let name = "command-\(UUID().uuidString)"
            let files = (
                input: scratch.appendingPathComponent("\(name).stdin"),
                output: scratch.appendingPathComponent("\(name).stdout"),
                errors: scratch.appendingPathComponent("\(name).stderr")
            )

            do {
                let input = try stdin.map { text in
                    try Data(text.utf8).write(to: files.input)
                    return try FileHandle(forReadingFrom: files.input)
                }
                let output = try Self.createFile(files.output)
                let errors = try Self.createFile(files.errors)
                defer {
                    // The child holds its own copies of these descriptors.
                    for handle in [input, output, errors].compactMap({ $0 }) {
                        try? handle.close()
                    }
                }
                process = try ChildProcess(
                    executable: executable, arguments: arguments, environment: environment,
                    workingDirectory: scratch, standardInput: input, standardOutput: output,
                    standardError: errors)
            } catch {
                let leftovers =
                    folder == nil ? [scratch] : [files.input, files.output, files.errors]
                for file in leftovers {
                    try? FileManager.default.removeItem(at: file)
                }
                throw error
            }
            self.executable = executable
            self.arguments = arguments
            self.scratch = scratch
            self.files = files
            ownsScratch = folder == nil
        }

        /// The result for a finished command; for one still running at the deadline, kills
        /// it, lets `reap` wait for it, and throws.
        func result(_ status: ExitStatus?, timeout: Duration, reap: () -> Void) throws
            -> CommandResult
        {
            guard let status else {
                process.signal(SIGKILL)
                reap()
                throw HarnessError(
                    "`\(summary(of: executable, arguments))` did not finish within \(timeout);"
                        + " killed it")
            }
            return (status.code, try text(of: files.output), try text(of: files.errors))
        }

        func removeFiles() {
            if ownsScratch {
                try? FileManager.default.removeItem(at: scratch)
            } else {
                for file in [files.input, files.output, files.errors] {
                    try? FileManager.default.removeItem(at: file)
                }
            }
        }

        private static func createFile(_ url: URL) throws -> FileHandle {
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw HarnessError("could not create \(url.path)")
            }
            return try FileHandle(forWritingTo: url)
        }

        private func text(of url: URL) throws -> String {
            String(decoding: try Data(contentsOf: url), as: UTF8.self)
        }
    }
}
