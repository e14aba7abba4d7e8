import Foundation
import TestThreads
import Testing

/// Logs, health, shutdown, crash safety and the command line.
@Suite(.onBlockingThreads, .timeLimit(.minutes(3)))
struct OperationsTests {
    @Test func log_afterEveryFlow_holdsNoTokenSecretCodeOrPassword() async throws {
        let world = try await SeedWorld.start()
        let browser = try await world.signIn()
        let code = try await world.authorize(browser: browser)
        let webToken = try await world.exchange(code: code)
        let replay = try PlainSocketClient.send(
            method: "POST",
            url: world.url(
                "/authorize/token?client_id=\(world.clientID)"
                    + "&client_secret=\(world.clientSecret)&code=\(code)"
            ))
        #expect(replay.status == 400)
        let nonWebToken = try await world.nonWebToken()
        _ = try await world.me(token: webToken)
        _ = try await world.http.get(
            world.url("/api/v1"), headers: ["Authorization": "Bearer \(nonWebToken)"])
        let session = try #require(browser.cookies?["latchkey_session"])

        let log = world.server.logText()
        #expect(log.contains("msg=request"))
        #expect(log.contains("http.path=/authorize/token"))
        #expect(log.contains("msg=oauth.token.issued"))
        for secret in [
            webToken, nonWebToken, code, world.clientSecret, SeedWorld.password, session,
            "client_secret", "access_token=", String(code.dropFirst(4).prefix(12)),
            String(webToken.dropFirst(4).prefix(12)),
            String(world.clientSecret.dropFirst(4).prefix(12)),
        ] {
            #expect(!log.contains(secret), "the log contains \(secret.prefix(8))…")
        }
    }

    @Test func requestLine_namesIdMethodPathStatusAndDuration() async throws {
        let world = try await SeedWorld.start()
        _ = try await world.http.get(world.url("/healthz"))
        let line = try #require(
            world.server.logText().split(separator: "\n").first {
                $0.contains("http.path=/healthz")
            })
        for key in ["request.id=", "http.method=GET", "http.status=200", "duration_ms="] {
            #expect(line.contains(key))
        }
    }

    @Test func healthAndReadiness_answer200() async throws {
        let world = try await SeedWorld.start()
        let health = try await world.http.get(world.url("/healthz"))
        #expect(health.status == 200)
        let ready = try await world.http.get(world.url("/readyz"))
        #expect(ready.status == 200)
        #expect(ready.json?["status"] as? String == "ready")
    }

    @Test func sigterm_exitsZero_andLeavesNoWriteAheadLogToReplay() async throws {
        let world = try await SeedWorld.start()
        _ = try await world.http.get(world.url("/healthz"))
        _ = try await world.nonWebToken()
        #expect(try await world.server.stop() == 0)
        #expect(world.server.logText().contains("msg=\"server stopped\""))

        let log = String(world.server.databaseURL.dropFirst("sqlite:".count)) + "-wal"
        let size = try FileManager.default.attributesOfItem(atPath: log)[.size] as? Int
        #expect(size == 0)
    }

    @Test func tokenReturnedToAClient_survivesKill9() async throws {
        let world = try await SeedWorld.start()
        var tokens: [String] = []
        for _ in 0..<5 {
            tokens.append(try await world.nonWebToken())
        }
        tokens.append(
            try await world.exchange(
                code: try await world.authorize(browser: try await world.signIn())))
        try await world.server.kill9()
        try await world.server.start()
        for token in tokens {
            #expect(try await world.me(token: token).status == 200)
        }
    }

    @Test func kill9DuringABurst_everyTokenAnsweredWith200StillWorks() async throws {
        let world = try await SeedWorld.start()
        let issued = Collected<String>()
        let path = "/authorize?client_id=\(world.clientID)&client_secret=\(world.clientSecret)"
        let authorization = basic(SeedWorld.email, SeedWorld.password)

        // Sixteen clients ask for tokens as fast as they can; the server dies among them.
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    for _ in 0..<50 {
                        guard
                            let response = try? world.post(
                                path, headers: ["Authorization": authorization]),
                            response.status == 200,
                            let token = response.json?["access_token"] as? String
                        else { return }
                        issued.append(token)
                    }
                }
            }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(700))
                try? await world.server.kill9()
            }
        }

        try await world.server.start()
        let tokens = issued.all
        #expect(!tokens.isEmpty)
        for token in tokens {
            #expect(try await world.me(token: token).status == 200)
        }
    }

    @Test(arguments: [
        (["serve", "--port", "http"], "option --port must be a whole number"),
        (
            ["serve", "--blocking-threads", "1025"],
            "option --blocking-threads must be a whole number from 0 to 1024, not \"1025\""
        ),
        (["serve", "--blocking-threads", "-1"], "option --blocking-threads must be"),
        (["serve", "--no-such-option"], "unknown option --no-such-option"),
        (["serve", "--allow-signup", "maybe"], "option --allow-signup must be true or false"),
        (["serve", "--database", "mysql://x"], "--database must be sqlite:PATH"),
        (
            ["user", "create", "--email", "a@b.c", "--password-stdin"],
            "option --username is required"
        ),
        (["client", "delete"], "missing CLIENT_ID"),
        (["frobnicate"], "unknown command"),
    ])
    func badOption_exitsTwoWithOneLine(arguments: [String], message: String) throws {
        let server = try TestServer()
        let result = try server.run(arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains(message))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func environmentVariable_setsAnOption_andAFlagWinsOverIt() async throws {
        let server = try TestServer()
        try await server.start(environment: ["LATCHKEY_ALLOW_SIGNUP": "false"])
        let off = try await HTTPClient().get(
            URL(string: server.baseURL.absoluteString + "/signup")!)
        #expect(off.status == 404)
        try await server.stop()

        try await server.start(
            extraArguments: ["--allow-signup", "true"],
            environment: ["LATCHKEY_ALLOW_SIGNUP": "false"])
        let on = try await HTTPClient().get(URL(string: server.baseURL.absoluteString + "/signup")!)
        #expect(on.status == 200)
    }

    @Test(arguments: [
        ["--help"], ["serve", "--help"], ["migrate", "--help"], ["user", "create", "--help"],
        ["client", "create", "--help"], ["client", "list", "--help"],
        ["client", "delete", "--help"],
        ["token", "revoke", "--help"],
    ])
    func help_describesEveryOption(arguments: [String]) throws {
        let server = try TestServer()
        let result = try server.run(arguments)
        #expect(result.status == 0)
        #expect(result.stdout.contains("Usage: latchkey"))
    }

    @Test func clientCreate_public_printsNoSecret() throws {
        let server = try TestServer()
        let (clientID, secret) = try server.createClient(
            name: "CLI app", url: "https://cli.example", callbacks: ["http://127.0.0.1/cb"],
            public: true)
        #expect(clientID.count == 32)
        #expect(secret == nil)
        let deleted = try server.run(["client", "delete", clientID])
        #expect(deleted.status == 0)
        let again = try server.run(["client", "delete", clientID])
        #expect(again.status == 1)
    }

    @Test func passwordStdin_dropsTheNewline() async throws {
        let server = try TestServer()
        try server.createUser(username: "nl", email: "nl@example.com", password: "with newline")
        let (clientID, secret) = try server.createClient(
            name: "A", url: "https://a.example", callbacks: ["https://a.example/cb"])
        try await server.start()
        let response = try PlainSocketClient.send(
            method: "POST",
            url: URL(
                string:
                    "\(server.baseURL.absoluteString)/authorize?client_id=\(clientID)"
                    + "&client_secret=\(secret!)"
            )!,
            headers: ["Authorization": basic("nl", "with newline")])
        #expect(response.status == 200)
    }
}
