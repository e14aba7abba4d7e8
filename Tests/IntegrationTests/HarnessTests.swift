import Foundation
import TestThreads
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Checks of the integration-test harness itself, against real processes: the built
/// `latchkey`, `/bin/sh`, ChromeDriver and headless Chromium. Serialized so that at most
/// one browser runs at a time on a small machine.
@Suite(.onBlockingThreads, .serialized)
struct HarnessTests {
    // MARK: - Finding and running programs

    @Test func latchkeyBinary_isTheExecutableBuiltBesideTheTests() throws {
        let url = try LatchkeyBinary.url

        #expect(url.lastPathComponent == "latchkey")
        #expect(FileManager.default.isExecutableFile(atPath: url.path))
    }

    @Test func commandRunner_capturesInputOutputErrorsAndStatus() throws {
        let script = #"read line; printf '%s|' "$line"; echo oops >&2; exit 3"#

        let result = try CommandRunner.run(shell, ["-c", script], stdin: "two words\nmore\n")

        #expect(result.status == 3)
        #expect(result.stdout == "two words|")
        #expect(result.stderr == "oops\n")
    }

    @Test func commandRunner_withoutInput_readsEndOfFileInsteadOfWaiting() throws {
        let result = try CommandRunner.run(shell, ["-c", "cat; echo done"], timeout: .seconds(10))

        #expect(result.status == 0)
        #expect(result.stdout == "done\n")
    }

    @Test func commandRunner_largeOutput_isCapturedWhole() throws {
        // 1 MiB, far more than a pipe holds: a runner reading pipes late would hang.
        let result = try CommandRunner.run(
            shell, ["-c", "head -c 1048576 /dev/zero | tr '\\0' x"], timeout: .seconds(20))

        #expect(result.status == 0)
        #expect(result.stdout.utf8.count == 1_048_576)
    }

    @Test func commandRunner_overrunningTimeout_isKilledAndThrows() throws {
        let started = ContinuousClock.now

        #expect(throws: HarnessError.self) {
            try CommandRunner.run(shell, ["-c", "exec sleep 30"], timeout: .milliseconds(300))
        }
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test func commandRunner_missingProgram_throwsNamingIt() {
        let missing = URL(fileURLWithPath: "/nonexistent/latchkey-harness-test")

        let error = #expect(throws: HarnessError.self) {
            try CommandRunner.run(missing, [])
        }
        #expect(error?.message.contains("/nonexistent/latchkey-harness-test") == true)
    }

    /// Test threads block SIGTERM; a child must not inherit that, or `TestServer.stop()`
    /// could not test graceful shutdown.
    @Test func childProcess_sigterm_reachesTheChild() async throws {
        let folder = try CommandRunner.makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/null"))
        let child = try ChildProcess(
            executable: shell, arguments: ["-c", "exec sleep 30"],
            environment: ChildEnvironment.make(), workingDirectory: folder, standardInput: nil,
            standardOutput: output, standardError: output)

        child.signal(SIGTERM)
        let status = await child.waitForExit(within: .seconds(5))

        #expect(status == .signaled(SIGTERM))
        #expect(status?.code == 143)
    }

    @Test func commandRunnerSummary_leavesOutLaterArgumentsThatMayBeSecrets() {
        let summary = CommandRunner.summary(
            of: URL(fileURLWithPath: "/x/latchkey"), ["token", "revoke", "at_secret"])

        #expect(summary == "latchkey token revoke")
    }

    @Test func childEnvironment_dropsLatchkeySettingsAndAddsTheTestsOwn() {
        let base = ["PATH": "/usr/bin", "LATCHKEY_ALLOW_SIGNUP": "false", "HOME": "/root"]

        let environment = ChildEnvironment.make(from: base, adding: ["LATCHKEY_PORT": "1"])

        #expect(environment == ["PATH": "/usr/bin", "HOME": "/root", "LATCHKEY_PORT": "1"])
    }

    // MARK: - TestServer without a server

    @Test func testServer_freshFolder_isPrivateAndGoesAwayWithTheServer() throws {
        var folder: URL?
        do {
            let server = try TestServer()
            folder = server.folder

            #expect(FileManager.default.fileExists(atPath: server.folder.path))
            #expect(server.databaseURL == "sqlite:" + server.folder.path + "/latchkey.db")
            #expect(server.logText() == "")
            #expect(!server.isRunning)
        }

        #expect(FileManager.default.fileExists(atPath: folder!.path) == false)
    }

    @Test func testServerRun_addsTheDatabaseAndCapturesOutput() throws {
        let server = try TestServer()

        // `migrate --help` succeeds both for the real command line and for a stand-in
        // that prints its name, so this stays true as the executable grows.
        let result = try server.run(["migrate", "--help"])

        #expect(result.status == 0)
        #expect((result.stdout + result.stderr).contains("latchkey"))
    }

    @Test func testServerStart_processExitsWithoutStartLine_throwsWithItsOutput() async throws {
        let server = try TestServer()

        let error = await #expect(throws: HarnessError.self) {
            try await server.start(extraArguments: ["--no-such-option-for-harness-test"])
        }

        #expect(error?.message.contains("before announcing its port") == true)
        #expect(!server.isRunning)
    }

    @Test func testServerStop_beforeStart_throws() async throws {
        let server = try TestServer()

        await #expect(throws: HarnessError.self) {
            try await server.stop()
        }
    }

    @Test(
        arguments: [
            (
                #"ts=2026-12-03T16:42:00Z level=info msg="server started" http.host=127.0.0.1"#
                    + " http.port=40123",
                UInt16(40123)
            ),
            ("ts=x level=info msg=\"server started\" http.port=8080\nlater line", 8080),
            ("ts=x level=debug msg=request http.port=9999", nil),
            (#"ts=x level=info msg="server started" http.host=127.0.0.1"#, nil),
            (#"ts=x level=info msg="server started" http.port=0"#, nil),
            (#"ts=x level=info msg="server started" http.port=99999"#, nil),
            ("", nil),
        ] as [(String, UInt16?)])
    func announcedPort_readsOnlyTheServerStartedLine(log: String, expected: UInt16?) {
        #expect(TestServer.announcedPort(in: log) == expected)
    }

    // MARK: - TestServer with the real server

    @Test func testServer_lifecycle_stopsCleanlyAndRestartsOnTheSameDatabase() async throws {
        let server = try TestServer()
        try server.createUser(username: "steve", email: "steve@example.com", password: "pw-1234567")
        let client = try server.createClient(
            name: "App", url: "http://app.example", callbacks: ["http://app.example/cb"])
        let publicClient = try server.createClient(
            name: "Phone", url: "http://phone.example", callbacks: ["http://phone.example/cb"],
            public: true)
        #expect(client.clientSecret != nil)
        #expect(publicClient.clientSecret == nil)
        #expect(client.clientID != publicClient.clientID)

        try await server.start()
        #expect(server.isRunning)
        #expect(try await HTTPClient().get(server.url("/healthz")).status == 200)
        #expect(try await server.stop() == 0)
        #expect(!server.isRunning)

        // The non-web flow only succeeds if user and client survived the restart.
        try await server.restart()
        let token = try await nonWebFlow(server, client, password: "pw-1234567")
        #expect(token.status == 200)
        #expect(token.json?["access_token"] is String)

        try await server.kill9()
        #expect(!server.isRunning)
        await #expect(throws: (any Error).self) {
            try await HTTPClient().get(server.url("/healthz"))
        }
        let starts = server.logText().components(separatedBy: #"msg="server started""#)
        #expect(starts.count - 1 == 2)
    }

    /// URLSession on Linux would wait forever on this answer without `ExchangeDelegate`.
    @Test(.timeLimit(.minutes(1)))
    func httpClient_basicChallenge_comesBackAsThe401() async throws {
        let server = try TestServer()
        try server.createUser(username: "steve", email: "steve@example.com", password: "pw-1234567")
        let client = try server.createClient(
            name: "App", url: "http://app.example", callbacks: ["http://app.example/cb"])
        try await server.start()

        let response = try await nonWebFlow(server, client, password: "wrong")

        #expect(response.status == 401)
        #expect(response.headers["WWW-Authenticate"]?.hasPrefix("Basic") == true)
        #expect(response.json?["error"] is String)
    }

    @Test func httpClient_redirect_isReturnedNotFollowed() async throws {
        let server = try TestServer()
        let client = try server.createClient(
            name: "App", url: "http://app.example", callbacks: ["http://app.example/cb"])
        try await server.start()

        let response = try await HTTPClient().get(
            server.url("/authorize", query: [("client_id", client.clientID)]))

        #expect(response.status == 302)
        #expect(response.location?.path == "/login")
    }

    private func nonWebFlow(
        _ server: TestServer, _ client: (clientID: String, clientSecret: String?),
        password: String
    ) async throws -> TestResponse {
        let credentials = Data("steve:\(password)".utf8).base64EncodedString()
        let url = server.url(
            "/authorize",
            query: [("client_id", client.clientID), ("client_secret", client.clientSecret ?? "")])
        return try await HTTPClient().send(
            method: "POST", url: url, headers: ["Authorization": "Basic \(credentials)"])
    }

    // MARK: - HTTP helpers

    @Test(
        arguments: [
            ([("q", "a b")], "q=a%20b"),
            ([("q", "a+b&c=d")], "q=a%2Bb%26c%3Dd"),
            ([("name", "Zoë/€")], "name=Zo%C3%AB%2F%E2%82%AC"),
            ([("empty", ""), ("safe", "A-z_0.9*~")], "empty=&safe=A-z_0.9*%7E"),
            ([("scope", "a"), ("scope", "b")], "scope=a&scope=b"),
            (
                [("redirect_uri", "https://x.example/cb?y=1#f")],
                "redirect_uri=https%3A%2F%2Fx.example%2Fcb%3Fy%3D1%23f"
            ),
        ] as [([(String, String)], String)])
    func urlEncoded_encodesEverythingButUnreservedCharacters(
        pairs: [(String, String)], expected: String
    ) {
        #expect(urlEncoded(pairs) == expected)
        #expect(form(pairs) == Data(expected.utf8))
    }

    @Test func addingQuery_appendsToAnExistingQuery() {
        let url = URL(string: "http://127.0.0.1:1/authorize?client_id=x")!

        let extended = url.addingQuery([("state", "a b+c")])

        #expect(
            extended.absoluteString == "http://127.0.0.1:1/authorize?client_id=x&state=a%20b%2Bc")
        #expect(extended.queryValue("state") == "a b+c")
    }

    @Test func queryValue_readsPlusAsSpaceAndMissingAsNil() {
        let url = URL(string: "http://127.0.0.1:1/cb?code=ab%2Fc&state=x+y&flag")!

        #expect(url.queryValue("code") == "ab/c")
        #expect(url.queryValue("state") == "x y")
        #expect(url.queryValue("flag") == "")
        #expect(url.queryValue("error") == nil)
    }

    @Test func headerFields_lookUpNamesIgnoringCase() {
        let headers = HeaderFields(["Content-Type": "text/html", "x-request-id": "r1"])

        #expect(headers["content-type"] == "text/html")
        #expect(headers["X-Request-ID"] == "r1")
        #expect(headers["Location"] == nil)
    }

    @Test func cookieJar_mergedSetCookieFields_storesEachAndExpiresDeleted() throws {
        let jar = CookieJar()
        let url = URL(string: "http://127.0.0.1:1/login")!
        // Linux URLSession joins repeated Set-Cookie fields like this.
        let login = TestResponse(
            status: 302,
            headers: HeaderFields([
                "Set-Cookie":
                    "sid=abc; Path=/; HttpOnly; SameSite=Lax;"
                    + " Expires=Thu, 01 Jan 2037 00:00:00 GMT, csrf=x%2By; Path=/"
            ]), body: Data(), url: url)

        jar.store(from: login)

        #expect(jar["sid"] == "abc")
        #expect(jar["csrf"] == "x%2By")
        #expect(jar.headerValue == "csrf=x%2By; sid=abc")
        #expect(login.cookies.first { $0.name == "sid" }?.isHTTPOnly == true)

        let logout = TestResponse(
            status: 302, headers: HeaderFields(["set-cookie": "sid=; Path=/; Max-Age=0"]),
            body: Data(), url: url)
        jar.store(from: logout)

        #expect(jar["sid"] == nil)
        #expect(jar.headerValue == "csrf=x%2By")
    }

    @Test func testResponse_readsJSONAndResolvesLocation() {
        let response = TestResponse(
            status: 302,
            headers: HeaderFields(["Location": "/login?next=%2Fauthorize"]),
            body: Data(#"{"error":"invalid_grant","n":1}"#.utf8),
            url: URL(string: "http://127.0.0.1:5/authorize?client_id=x")!)

        #expect(response.json?["error"] as? String == "invalid_grant")
        #expect(response.location?.absoluteString == "http://127.0.0.1:5/login?next=%2Fauthorize")
    }

    @Test func httpClient_closedPort_throwsInsteadOfAnswering() async throws {
        let port = try FreePort.find()

        await #expect(throws: (any Error).self) {
            try await HTTPClient().get(URL(string: "http://127.0.0.1:\(port)/healthz")!)
        }
    }

    // MARK: - Browser

    @Test(.needsBrowser) func webDriver_formPage_typesClicksAndReadsBack() async throws {
        let closedPort = try FreePort.find()
        let page = WebDriver.dataURL(
            html: """
                <!doctype html><title>Harness page</title>
                <p id="greeting">Hello, <b>harness</b></p>
                <a id="away" href="http://127.0.0.1:\(closedPort)/linked?from=page">Away</a>
                <form action="http://127.0.0.1:\(closedPort)/submitted" method="get">
                  <input id="q" name="q" placeholder="Search">
                  <button id="go" name="decision" value="allow">Go</button>
                </form>
                """)

        try await WebDriver.withSession { browser in
            #expect(try await browser.navigate(to: page) == nil)

            #expect(try await browser.title == "Harness page")
            #expect(try await browser.findElement(css: "#greeting").text == "Hello, harness")
            #expect(try await browser.pageSource.contains(#"placeholder="Search""#))

            try await browser.findElement(css: "#away").click()
            let linked = try await browser.waitForURL { $0.path == "/linked" }
            #expect(linked.queryValue("from") == "page")

            try await browser.navigate(to: page)

            let input = try await browser.findElement(css: "input[name=q]")
            try await input.sendKeys("a b&c")
            #expect(try await input.property("value") == "a b&c")
            #expect(try await input.attribute("placeholder") == "Search")
            #expect(try await input.attribute("nonexistent") == nil)

            try await browser.findElement(css: "button[name=decision][value=allow]").click()
            let submitted = try await browser.waitForURL { $0.path == "/submitted" }
            #expect(submitted.port == Int(closedPort))
            #expect(submitted.queryValue("q") == "a b&c")
            #expect(submitted.queryValue("decision") == "allow")
        }
    }

    /// The browser test of the authorization-code flow relies on this: a callback URL on
    /// a port where nothing listens cannot load, yet WebDriver still reports it, code and
    /// state included.
    @Test(.needsBrowser) func webDriver_unreachableCallback_stillReportsItsURL() async throws {
        let closedPort = try FreePort.find()
        let callback = URL(string: "http://127.0.0.1:\(closedPort)/cb?code=abc&state=s%201")!

        try await WebDriver.withSession { browser in
            let loadError = try await browser.navigate(to: callback)

            #expect(loadError == "net::ERR_CONNECTION_REFUSED")
            let url = try await browser.currentURL
            #expect(url == callback)
            #expect(url.queryValue("code") == "abc")
            #expect(url.queryValue("state") == "s 1")
            #expect(try await browser.pageSource.contains("ERR_CONNECTION_REFUSED"))
        }
    }

    @Test(.needsBrowser) func webDriver_missingElement_throwsNoSuchElement() async throws {
        try await WebDriver.withSession { browser in
            try await browser.navigate(to: WebDriver.dataURL(html: "<p>nothing here</p>"))

            let error = await #expect(throws: WebDriverError.self) {
                try await browser.findElement(css: "#absent")
            }
            #expect(error?.code == "no such element")
            #expect(try await browser.findElements(css: "#absent").isEmpty)
            #expect(try await browser.findElements(css: "p").count == 1)
        }
    }

    @Test(.needsBrowser) func webDriver_screenshot_isAPNGOfTheWindow() async throws {
        let folder = try CommandRunner.makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("page.png")

        try await WebDriver.withSession { browser in
            try await browser.navigate(to: WebDriver.dataURL(html: "<h1>Shot</h1>"))
            try await browser.saveScreenshot(to: file)
        }

        let png = try Data(contentsOf: file)
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        #expect(png.count > 1000)
    }

    @Test(.needsBrowser) func webDriver_quit_stopsChromeDriver() async throws {
        let browser = try await WebDriver.start()
        let status = browser.endpoint.appendingPathComponent("status")
        let ready = try await WebDriver.send("GET", status, nil, describedAs: "GET /status")
        #expect((ready as? [String: Any])?["ready"] as? Bool == true)

        await browser.quit()

        await #expect(throws: HarnessError.self) {
            try await WebDriver.send("GET", status, nil, describedAs: "GET /status")
        }
    }

    private let shell = URL(fileURLWithPath: "/bin/sh")
}
