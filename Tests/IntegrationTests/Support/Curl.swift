import Foundation

/// HTTP through the `curl` program, for the one server URLSession cannot read.
///
/// ChromeDriver writes header fields without a space after the colon
/// (`Content-Length:252`), which RFC 9110 allows but FoundationNetworking in Swift 6.3
/// rejects ("Failed writing header"; fixed upstream in swift-corelibs-foundation #5527,
/// first shipped in 6.4). Until the toolchain has that fix, `WebDriver` talks to
/// ChromeDriver through curl; everything aimed at Latchkey goes through `HTTPClient`.
enum Curl {
    /// The `curl` program: `LATCHKEY_CURL`, else `curl` on `PATH`.
    static let url: URL? = Browser.locate(override: "LATCHKEY_CURL", names: ["curl"])

    /// Sends one request and returns the status and body; throws when no HTTP answer
    /// arrives (nothing listening, timeout).
    static func send(method: String, url: URL, body: Data?, timeout: Duration = .seconds(90))
        async throws -> (status: Int, body: Data)
    {
        guard let curl = Self.url else {
            throw HarnessError(
                "curl not found; it carries the tests' WebDriver commands."
                    + " On Debian: apt-get install curl")
        }

        // The status goes on a last line of its own after the body.
        var arguments = [
            "--silent", "--show-error", "--noproxy", "*", "--max-time",
            "\(timeout.components.seconds)", "--request", method, "--write-out", "\n%{http_code}",
        ]
        if body != nil {
            arguments += ["--header", "Content-Type: application/json", "--data-binary", "@-"]
        }
        arguments.append(url.absoluteString)
        let result = try await CommandRunner.runAsync(
            curl, arguments, stdin: body.map { String(decoding: $0, as: UTF8.self) },
            environment: ProcessInfo.processInfo.environment, timeout: timeout + .seconds(5))

        guard result.status == 0, let split = result.stdout.lastIndex(of: "\n"),
            let status = Int(result.stdout[split...].dropFirst())
        else {
            throw HarnessError(
                "curl \(method) \(url.path) failed (\(result.status)): \(result.stderr)")
        }
        return (status, Data(result.stdout[..<split].utf8))
    }
}
