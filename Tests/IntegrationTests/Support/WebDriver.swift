import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A headless Chromium driven through ChromeDriver's W3C WebDriver JSON protocol: just
/// enough to open pages, fill in forms, click and read what the user would see.
///
/// Each instance owns one ChromeDriver process and one browser session. Use
/// `withSession`, or call `quit()` when done; an instance dropped without `quit()` kills
/// both processes in `deinit`.
final class WebDriver: Sendable {
    /// The browser window's inner size in CSS pixels.
    struct WindowSize: Sendable {
        var width: Int
        var height: Int

        /// A phone held upright: SPEC §10 says no page scrolls sideways at 390 px.
        static let phone = WindowSize(width: 390, height: 844)
        /// A laptop screen.
        static let desktop = WindowSize(width: 1280, height: 800)
    }

    /// The WebDriver session this instance drives.
    let sessionID: String

    /// ChromeDriver's address (`http://127.0.0.1:PORT`).
    let endpoint: URL
    private let driver: ChildProcess
    private let browserProcessID: Int32?
    private let folder: URL
    private let hasQuit = Mutex(false)

    private init(
        sessionID: String, endpoint: URL, driver: ChildProcess,
        browserProcessID: Int32?, folder: URL
    ) {
        self.sessionID = sessionID
        self.endpoint = endpoint
        self.driver = driver
        self.browserProcessID = browserProcessID
        self.folder = folder
    }

    deinit {
        guard !hasQuit.withLock({ $0 }) else {
            return
        }
        // No await here: kill the browser ChromeDriver started, then ChromeDriver.
        if let browserProcessID {
            kill(browserProcessID, SIGKILL)
        }
        driver.signal(SIGKILL)
        try? FileManager.default.removeItem(at: folder)
    }

    /// Starts ChromeDriver on a free port and opens a headless browser session.
    ///
    /// Throws a message naming the missing program when Chromium or ChromeDriver is not
    /// installed (tests guarded by `.needsBrowser` only get here when it is required).
    static func start(windowSize: WindowSize = .phone, extraArguments: [String] = [])
        async throws -> WebDriver
    {
        guard let chromium = Browser.chromium, let chromedriver = Browser.chromedriver else {
            throw HarnessError(
                "browser tests need Chromium and ChromeDriver; found chromium: "
                    + (Browser.chromium?.path ?? "none") + ", chromedriver: "
                    + (Browser.chromedriver?.path ?? "none")
                    + ". On Debian: apt-get install chromium chromium-driver curl"
                    + " (scripts/install-deps --browser does it).")
        }

        let folder = try CommandRunner.makeTemporaryFolder(prefix: "latchkey-webdriver")
        do {
            let (driver, endpoint) = try await launchDriver(chromedriver, in: folder)
            let capabilities = sessionCapabilities(
                chromium: chromium, windowSize: windowSize, extraArguments: extraArguments)
            let created: Any
            do {
                created = try await send(
                    "POST", endpoint.appendingPathComponent("session"), capabilities,
                    describedAs: "POST /session")
            } catch {
                await driver.kill9()
                throw error
            }
            let value = created as? [String: Any]
            guard let sessionID = value?["sessionId"] as? String else {
                await driver.kill9()
                throw HarnessError("ChromeDriver created a session without a sessionId")
            }
            let browserProcessID =
                (value?["capabilities"] as? [String: Any])?[
                    "goog:processID"] as? Int
            return WebDriver(
                sessionID: sessionID, endpoint: endpoint, driver: driver,
                browserProcessID: browserProcessID.map { Int32($0) }, folder: folder)
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
    }

    /// Runs `body` with a fresh browser and quits it afterwards, also when `body` throws.
    static func withSession<T>(
        windowSize: WindowSize = .phone, _ body: (WebDriver) async throws -> T
    ) async throws -> T {
        let browser = try await start(windowSize: windowSize)
        do {
            let result = try await body(browser)
            await browser.quit()
            return result
        } catch {
            await browser.quit()
            throw error
        }
    }

    /// Ends the session (which closes the browser) and stops ChromeDriver. Idempotent.
    func quit() async {
        let alreadyQuit = hasQuit.withLock { quit in
            defer { quit = true }
            return quit
        }
        guard !alreadyQuit else {
            return
        }

        _ = try? await command("DELETE", "")
        driver.signal(SIGTERM)
        if await !driver.waitUntilGone(within: .seconds(5)) {
            await driver.kill9()
        }
        try? FileManager.default.removeItem(at: folder)
    }

    /// Sends one command below `/session/{id}` and returns its `value`.
    @discardableResult
    func command(_ method: String, _ path: String, _ body: [String: Any]? = nil)
        async throws -> Any
    {
        var url = endpoint.appendingPathComponent("session").appendingPathComponent(sessionID)
        if !path.isEmpty {
            url = url.appendingPathComponent(path)
        }
        let payload = method == "POST" ? (body ?? [:]) : nil
        return try await Self.send(
            method, url, payload, describedAs: "\(method) \(path.isEmpty ? "/" : path)")
    }

    /// Sends one WebDriver request and returns its `value`, or throws its error.
    static func send(
        _ method: String, _ url: URL, _ body: [String: Any]?, describedAs command: String
    ) async throws -> Any {
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        let response = try await Curl.send(method: method, url: url, body: data)

        let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any]
        let value = object?["value"]
        guard response.status == 200 else {
            let error = value as? [String: Any]
            let text =
                error?["message"] as? String ?? String(decoding: response.body, as: UTF8.self)
            throw WebDriverError(
                command: command, code: error?["error"] as? String ?? "HTTP \(response.status)",
                message: text.split(separator: "\n").first.map(String.init) ?? "")
        }
        return value ?? NSNull()
    }

    private static func sessionCapabilities(
        chromium: URL, windowSize: WindowSize, extraArguments: [String]
    ) -> [String: Any] {
        // --no-sandbox: the tests may run as root in a container, where Chromium's sandbox
        // cannot start. --disable-dev-shm-usage: containers often have a tiny /dev/shm.
        let arguments =
            [
                "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--lang=en-US", "--window-size=\(windowSize.width),\(windowSize.height)",
            ] + extraArguments
        let options: [String: Any] = [
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "timeouts": ["pageLoad": 30_000, "script": 30_000, "implicit": 0],
            "goog:chromeOptions": ["binary": chromium.path, "args": arguments],
        ]
        return ["capabilities": ["alwaysMatch": options]]
    }

    /// Starts ChromeDriver and waits for `/status` to say it is ready, trying another
    /// port if the free one was taken in between.
    private static func launchDriver(_ chromedriver: URL, in folder: URL)
        async throws -> (ChildProcess, URL)
    {
        var failures: [String] = []
        for attempt in 1...3 {
            let port = try FreePort.find()
            let logFile = folder.appendingPathComponent("chromedriver-\(attempt).log")
            guard FileManager.default.createFile(atPath: logFile.path, contents: nil) else {
                throw HarnessError("could not create \(logFile.path)")
            }
            let log = try FileHandle(forWritingTo: logFile)
            let driver = try ChildProcess(
                executable: chromedriver, arguments: ["--port=\(port)"],
                environment: ProcessInfo.processInfo.environment, workingDirectory: folder,
                standardInput: nil, standardOutput: log, standardError: log)
            try? log.close()
            let endpoint = URL(string: "http://127.0.0.1:\(port)")!

            if await waitUntilReady(driver, at: endpoint) {
                return (driver, endpoint)
            }
            await driver.kill9()
            let written = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
            failures.append("port \(port): \(written)")
        }
        throw HarnessError(
            "ChromeDriver did not become ready:\n" + failures.joined(separator: "\n"))
    }

    private static func waitUntilReady(_ driver: ChildProcess, at endpoint: URL) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline, driver.isRunning {
            let status = try? await send(
                "GET", endpoint.appendingPathComponent("status"), nil, describedAs: "GET /status")
            if (status as? [String: Any])?["ready"] as? Bool == true {
                return true
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}
