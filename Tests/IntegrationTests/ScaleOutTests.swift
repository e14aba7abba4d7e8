import Foundation
import Synchronization
import TestThreads
import Testing

/// Several `latchkey serve` processes on one PostgreSQL database, over real HTTP (SPEC §6,
/// docs/scaling.md): what one process issues or records, every other one honours.
///
/// Each test has a schema (or a cluster) of its own. Serialized: each test runs two
/// servers, and side by side with the other suites they would only queue on two cores.
@Suite(
    .onBlockingThreads, .serialized, .timeLimit(.minutes(3)),
    .enabled(if: TestPostgres.isEnabled, "needs LATCHKEY_TEST_POSTGRES_URL (scripts/test)"))
struct ScaleOutTests {
    static let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    static let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

    /// Two processes, `a` and `b`, on a fresh schema; the schema lives as long as the
    /// caller keeps it.
    private func pair() async throws -> (TestPostgresSchema, SeedWorld, SeedWorld) {
        let schema = try TestPostgres.makeSchema()
        let a = try await SeedWorld.start(databaseURL: schema.url)
        let b = try await a.sibling()
        return (schema, a, b)
    }

    /// Consent shown by `consentAt`, decided at `decideAt`: the session and the CSRF
    /// secret must be the database's, not the process's. Returns the callback's code.
    private func authorize(
        _ browser: HTTPClient, consentAt: SeedWorld, decideAt: SeedWorld, path: String,
        decisionPath: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String {
        let consent = try await browser.get(consentAt.url(path))
        #expect(consent.status == 200, sourceLocation: sourceLocation)
        let allowed = try await browser.postForm(
            decideAt.url(decisionPath), hiddenFields(in: consent.text) + [("decision", "allow")])
        #expect(allowed.status == 302, sourceLocation: sourceLocation)
        let callback = try #require(allowed.location, sourceLocation: sourceLocation)
        #expect(
            callback.absoluteString.hasPrefix(SeedWorld.callback + "?code=lkc_"),
            sourceLocation: sourceLocation)
        return try #require(callback.queryValue("code"), sourceLocation: sourceLocation)
    }

    // MARK: Every process honours what another one did

    @Test func codeIssuedByOneProcess_isRedeemedAtTheOther() async throws {
        let (schema, a, b) = try await pair()
        defer { withExtendedLifetime(schema) {} }
        let browser = try await a.signIn()

        // The standard flow: signed in at A, consent from B, decided at A, redeemed at B.
        let query =
            "response_type=code&client_id=\(a.clientID)"
            + "&redirect_uri=https%3A%2F%2Fgoat.example%2Foauth%2Fcallback&scope=profile"
            + "&state=s1&code_challenge=\(Self.challenge)&code_challenge_method=S256"
        let standardCode = try await authorize(
            browser, consentAt: b, decideAt: a, path: "/oauth/authorize?" + query,
            decisionPath: "/oauth/authorize/decision")
        let tokens = try b.token(
            [
                ("grant_type", "authorization_code"), ("code", standardCode),
                ("redirect_uri", SeedWorld.callback), ("code_verifier", Self.verifier),
            ], auth: b.seedBasic)
        #expect(tokens.status == 200)
        let accessToken = try #require(tokens.json?["access_token"] as? String)
        #expect(try await a.me(token: accessToken).status == 200)

        // The legacy flow, the other way round; scopes not granted yet are asked for.
        let legacyCode = try await authorize(
            browser, consentAt: a, decideAt: b, path: "/authorize?client_id=\(a.clientID)",
            decisionPath: "/authorize/decision")
        let legacyToken = try await b.exchange(code: legacyCode)
        #expect(try await a.me(token: legacyToken).status == 200)
        #expect(try await b.me(token: legacyToken).status == 200)

        // Signed out at B is signed out at A.
        #expect(try await browser.get(a.url("/account/applications")).status == 200)
        let logoutPage = try await browser.get(a.url("/logout"))
        let signOut = try await browser.postForm(
            b.url("/logout"), [("csrf_token", csrfToken(in: logoutPage.text))])
        #expect(signOut.status == 303)
        let afterSignOut = try await browser.get(a.url("/account/applications"))
        #expect(afterSignOut.status == 302)
        #expect(afterSignOut.headers["Location"]?.hasPrefix("/login") == true)
    }

    @Test func revokedAtOneProcess_isRefusedAtTheOtherAtOnce() async throws {
        let (schema, a, b) = try await pair()
        defer { withExtendedLifetime(schema) {} }
        let tokens = try await a.codeGrantTokens()
        let accessToken = try #require(tokens["access_token"] as? String)
        let refreshToken = try #require(tokens["refresh_token"] as? String)
        #expect(try await b.me(token: accessToken).status == 200)

        let revoked = try a.oauthPost(
            "/oauth/revoke", [("token", accessToken)], auth: a.seedBasic)
        #expect(revoked.status == 200)

        #expect(try await b.me(token: accessToken).status == 401)
        let introspected = try b.oauthPost(
            "/oauth/introspect", [("token", accessToken)], auth: b.seedBasic)
        #expect(introspected.text == #"{"active":false}"#)

        // A refresh token revoked at B no longer rotates at A.
        #expect(
            try b.oauthPost("/oauth/revoke", [("token", refreshToken)], auth: b.seedBasic)
                .status == 200)
        let refresh = try a.token(
            [("grant_type", "refresh_token"), ("refresh_token", refreshToken)],
            auth: a.seedBasic)
        expectOAuthError(refresh, status: 400, error: "invalid_grant")

        // The operator's `latchkey token revoke` reaches both as well.
        let nonWebToken = try await b.nonWebToken()
        #expect(try await a.me(token: nonWebToken).status == 200)
        #expect(try a.server.run(["token", "revoke", nonWebToken]).status == 0)
        #expect(try await a.me(token: nonWebToken).status == 401)
        #expect(try await b.me(token: nonWebToken).status == 401)
    }

    /// 10 wrong passwords for one account lock it, and 50 from one address lock the
    /// address, counted across processes: with counters per process neither would trip.
    @Test func failedPasswords_addUpAcrossProcesses_andLockBoth() async throws {
        let (schema, a, b) = try await pair()
        defer { withExtendedLifetime(schema) {} }
        let worlds = [a, b]
        @Sendable func nonWeb(_ world: SeedWorld, _ login: String, _ password: String) throws
            -> TestResponse
        {
            try world.post(
                "/authorize?client_id=\(world.clientID)&client_secret=\(world.clientSecret)",
                headers: ["Authorization": basic(login, password)])
        }

        // One after the other, alternating: the 11th is refused at either process.
        var statuses: [Int] = []
        for attempt in 0..<20 {
            statuses.append(try nonWeb(worlds[attempt % 2], SeedWorld.username, "wrong").status)
        }
        #expect(statuses == Array(repeating: 401, count: 10) + Array(repeating: 429, count: 10))
        for world in worlds {
            let locked = try nonWeb(world, SeedWorld.email, SeedWorld.password)
            #expect(locked.status == 429)
            #expect(locked.headers["Retry-After"] == "900")
        }
        let browser = HTTPClient(cookies: CookieJar())
        let page = try await browser.get(b.url("/login"))
        let signIn = try await browser.postForm(
            a.url("/login"),
            [
                ("csrf_token", csrfToken(in: page.text)), ("login", SeedWorld.username),
                ("password", SeedWorld.password),
            ])
        #expect(signIn.status == 429)

        // The address: the 10 counted failures above plus 40 more, all at once, spread
        // over both processes, each for another login. Every one of the 40 is still
        // checked (49 at most counted before it); the 51st attempt is refused anywhere.
        let next = Mutex(0)
        let burst = simultaneously(40) { () -> Int in
            let index = next.withLock { value in
                defer { value += 1 }
                return value
            }
            return (try? nonWeb(worlds[index % 2], "nobody\(index)@example.com", "wrong"))?
                .status ?? 0
        }
        #expect(burst == Array(repeating: 401, count: 40))
        for world in worlds {
            let locked = try nonWeb(world, "someone-else@example.com", "wrong")
            #expect(locked.status == 429)
        }
    }

    @Test func sameCodeOrRefreshToken_atBothAtOnce_succeedsExactlyOnce() async throws {
        let (schema, a, b) = try await pair()
        defer { withExtendedLifetime(schema) {} }
        let worlds = [a, b]
        let attempts = 16
        func fire(_ request: @escaping @Sendable (SeedWorld) throws -> TestResponse) -> [Int] {
            let next = Mutex(0)
            return simultaneously(attempts) { () -> Int in
                let index = next.withLock { value in
                    defer { value += 1 }
                    return value
                }
                return (try? request(worlds[index % 2]))?.status ?? 0
            }.sorted()
        }
        let once = [200] + Array(repeating: 400, count: attempts - 1)

        let code = try await a.webFlowCode()
        #expect(
            fire { world in
                try world.token(
                    [("grant_type", "authorization_code"), ("code", code)], auth: world.seedBasic)
            } == once)

        let legacyCode = try await b.webFlowCode()
        #expect(
            fire { world in
                try world.post(
                    "/authorize/token?client_id=\(world.clientID)"
                        + "&client_secret=\(world.clientSecret)&code=\(legacyCode)")
            } == once)

        let tokens = try await b.codeGrantTokens()
        let refreshToken = try #require(tokens["refresh_token"] as? String)
        #expect(
            fire { world in
                try world.token(
                    [("grant_type", "refresh_token"), ("refresh_token", refreshToken)],
                    auth: world.seedBasic)
            } == once)
    }

    // MARK: Failures

    /// The database stopped under a running server (`pg_ctl stop`, as a restart or a
    /// failover does) and started again: 503 quickly meanwhile, service after, and the
    /// password in no answer and no log line.
    @Test func databaseStoppedAndStarted_answers503Quickly_thenServesWithoutRestart()
        async throws
    {
        let cluster = try PrivateCluster()
        let world = try await SeedWorld.start(databaseURL: cluster.url)
        let token = try await world.nonWebToken()
        #expect(try await world.http.get(world.url("/readyz")).status == 200)

        try cluster.stop()

        // Generous for a loaded two-core machine; a refused connection takes milliseconds.
        let bound: Duration = .seconds(10)
        let clock = ContinuousClock()
        var ready: TestResponse?
        let readyTime = try await clock.measure {
            ready = try await world.http.get(world.url("/readyz"))
        }
        #expect(ready?.status == 503)
        #expect(ready?.json?["status"] as? String == "unavailable")
        #expect((ready?.json?["reason"] as? String)?.isEmpty == false)
        #expect(ready?.text.contains(PrivateCluster.password) == false)
        #expect(readyTime < bound)

        var api: TestResponse?
        let apiTime = try await clock.measure { api = try await world.me(token: token) }
        #expect(api?.status == 503)
        #expect(api?.headers["Retry-After"] == "5")
        #expect(apiTime < bound)

        var grant: TestResponse?
        let grantTime = try await clock.measure {
            grant = try world.token(
                [
                    ("grant_type", "password"), ("username", SeedWorld.username),
                    ("password", SeedWorld.password),
                ], auth: world.seedBasic)
        }
        expectOAuthError(try #require(grant), status: 503, error: "temporarily_unavailable")
        #expect(grantTime < bound)

        // The sign-in form needs no database; signing in does.
        let browser = HTTPClient(cookies: CookieJar())
        let form = try await browser.get(world.url("/login"))
        var page: TestResponse?
        let pageTime = try await clock.measure {
            page = try await browser.postForm(
                world.url("/login"),
                hiddenFields(in: form.text) + [
                    ("login", SeedWorld.username), ("password", SeedWorld.password),
                ])
        }
        #expect(page?.status == 503)
        #expect(page?.headers["Content-Type"]?.hasPrefix("text/html") == true)
        #expect(pageTime < bound)

        try cluster.start()

        #expect(try await world.http.get(world.url("/readyz")).status == 200)
        #expect(try await world.me(token: token).status == 200)
        #expect(try await world.me(token: try await world.nonWebToken()).status == 200)
        #expect(world.server.isRunning)

        let log = world.server.logText()
        #expect(log.contains("msg=storage.unreachable"))
        #expect(!log.contains(PrivateCluster.password))

        // A wrong password is a reason of its own, and is not printed either.
        let wrong = try world.server.run([
            "migrate", "--database",
            "postgres://\(PrivateCluster.user):not-the-Password@127.0.0.1:\(cluster.port)/"
                + PrivateCluster.user,
        ])
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("password authentication failed"))
        #expect(!wrong.stderr.contains("not-the-Password"))
    }

    /// A crash of one process loses nothing a client was told: every token answered with
    /// a 200 before `kill -9` is active after the restart, and the other process serves
    /// on meanwhile.
    @Test func kill9DuringABurst_everyTokenAnswered200_staysActive() async throws {
        let (schema, a, b) = try await pair()
        defer { withExtendedLifetime(schema) {} }
        let (clientID, secret) = try a.makeClient(grants: "client_credentials")
        let auth = ClientAuth.basic(clientID, secret!)

        let issued = Mutex<[String]>([])
        let stop = Mutex(false)
        let group = DispatchGroup()
        for thread in 0..<4 {
            let world = thread % 2 == 0 ? a : b
            group.enter()
            Thread {
                defer { group.leave() }
                var failures = 0
                while !stop.withLock({ $0 }), failures < 20 {
                    guard
                        let response = try? world.token(
                            [("grant_type", "client_credentials")], auth: auth)
                    else {
                        failures += 1
                        continue
                    }
                    if response.status == 200,
                        let token = response.json?["access_token"] as? String
                    {
                        issued.withLock { $0.append(token) }
                    } else {
                        failures += 1
                    }
                }
            }.start()
        }

        try await Task.sleep(for: .milliseconds(700))
        try await a.server.kill9()
        try await Task.sleep(for: .milliseconds(300))
        stop.withLock { $0 = true }
        group.wait()

        try await a.server.start()
        let tokens = issued.withLock { $0 }
        #expect(tokens.count >= 8)
        for (index, token) in tokens.enumerated() {
            let world = index % 2 == 0 ? a : b
            let answer = try world.oauthPost("/oauth/introspect", [("token", token)], auth: auth)
            #expect(answer.json?["active"] as? Bool == true)
        }
    }

    /// A statement waiting on a lock longer than the statement timeout (5 s) is
    /// cancelled: the request gets 503 instead of hanging, and the next one, with the
    /// lock gone, succeeds.
    @Test func statementOverTheTimeout_answers503_andTheNextRequestSucceeds() async throws {
        let schema = try TestPostgres.makeSchema()
        defer { withExtendedLifetime(schema) {} }
        let world = try await SeedWorld.start(databaseURL: schema.url)
        let token = try await world.nonWebToken()

        let holder = Task.detached {
            try await CommandRunner.runAsync(
                try TestPostgres.program("psql"),
                [
                    "--no-psqlrc", "--quiet", "--dbname=\(schema.adminURL)", "--command",
                    "BEGIN; LOCK TABLE \(schema.name).tokens IN ACCESS EXCLUSIVE MODE;"
                        + " SELECT pg_sleep(7); COMMIT;",
                ], timeout: .seconds(30))
        }
        try await waitForLock(on: "tokens", in: schema)

        let clock = ContinuousClock()
        var blocked: TestResponse?
        let blockedTime = try await clock.measure { blocked = try await world.me(token: token) }
        #expect(blocked?.status == 503)
        #expect(blockedTime >= .seconds(4) && blockedTime < .seconds(10))

        #expect(try await holder.value.status == 0)
        #expect(try await world.me(token: token).status == 200)
    }

    private func waitForLock(on table: String, in schema: TestPostgresSchema) async throws {
        for _ in 0..<100 {
            let held = try schema.query(
                """
                SELECT count(*) FROM pg_locks
                WHERE relation = '\(schema.name).\(table)'::regclass
                    AND mode = 'AccessExclusiveLock' AND granted
                """)
            if held == "1" { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw HarnessError("psql did not take the lock on \(table)")
    }

    // MARK: The command line and the URL forms

    @Test func migrate_unreachableOrWrongDatabase_exits1WithOneLineAndNoPassword() throws {
        let adminURL = try TestPostgres.requiredURL()
        let port = try FreePort.find()
        let password = "Sw0rdfish-pw"
        let server = try TestServer()
        // postgres://postgres@127.0.0.1:PORT/latchkey_test, with a password added.
        let withPassword = adminURL.replacingOccurrences(
            of: "://postgres@", with: "://postgres:\(password)@")
        let noDatabase =
            withPassword.prefix(upTo: withPassword.lastIndex(of: "/")!) + "/no_such_db"
        let cases: [(url: String, shown: String, reason: String)] = [
            (
                "postgres://latchkey:\(password)@127.0.0.1:\(port)/latchkey",
                "postgres://latchkey:***@127.0.0.1:\(port)/latchkey", "Connection refused"
            ),
            (
                "postgresql://latchkey@127.0.0.1:\(port)/latchkey?password=\(password)",
                "postgresql://latchkey@127.0.0.1:\(port)/latchkey?password=***",
                "Connection refused"
            ),
            (String(noDatabase), "", "database \"no_such_db\" does not exist"),
            (
                withPassword + "?sslmode=require", "",
                "server does not support SSL, but SSL was required"
            ),
            ("postgres://latchkey:\(password)@127.0.0.1:notaport/db", "", "invalid"),
        ]
        for (url, shown, reason) in cases {
            let result = try server.run(["migrate", "--database", url])
            #expect(result.status == 1, "\(reason)")
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(result.stderr)")
            #expect(result.stderr.hasPrefix("latchkey migrate: "))
            #expect(shown.isEmpty || result.stderr.contains(shown), "\(result.stderr)")
            #expect(result.stderr.contains(reason), "\(result.stderr)")
            #expect(!result.stderr.contains(password))
            #expect(!result.stdout.contains(password))
        }

        // serve refuses to start the same way, before listening.
        let serve = try server.run([
            "serve", "--port", "0", "--database", cases[0].url,
            "--key-encryption-key", TestServer.postgresKeyEncryptionKey,
        ])
        #expect(serve.status == 1)
        #expect(serve.stderr.contains("Connection refused"))
        #expect(!serve.stderr.contains(password))
    }

    @Test func migratesAndServersStartedAtOnce_onAnEmptySchema_migrateItOnce() async throws {
        let schema = try TestPostgres.makeSchema()
        let server = try TestServer(databaseURL: schema.url)
        let other = try TestServer(databaseURL: schema.url)

        async let first = server.start()
        async let second = other.start()
        let migrations = simultaneously(4) { () -> CommandResult? in
            try? server.run(["migrate"])
        }
        _ = try await (first, second)

        for result in migrations {
            #expect(result?.status == 0)
            #expect(result?.stdout.contains("is up to date") == true)
        }
        let applied = try schema.query(
            "SELECT count(*) || ' ' || count(DISTINCT version) || ' ' || max(version)"
                + " FROM schema_migrations")
        let numbers = applied.split(separator: " ")
        #expect(numbers.count == 3 && Set(numbers).count == 1, "\(applied)")
        for running in [server, other] {
            #expect(try await HTTPClient().get(running.url("/readyz")).status == 200)
        }
    }

    /// `postgresql://` with `host=/socket/dir` and `sslmode`, and `postgres://` over TCP,
    /// are the same database to two processes.
    @Test func socketAndTCPURLForms_reachTheSameDatabase() async throws {
        let schema = try TestPostgres.makeSchema()
        let adminURL = try TestPostgres.requiredURL()
        let socketFolder = try #require(
            try TestPostgres.psql(adminURL, "SHOW unix_socket_directories")
                .split(separator: ",").first.map {
                    $0.trimmingCharacters(in: .whitespaces)
                })
        let components = try #require(URLComponents(string: adminURL))
        let port = try #require(components.port)
        let database = components.path.dropFirst()
        let searchPath = "options=-csearch_path%3D\(schema.name)"
        let socketURL =
            "postgresql:///\(database)?host=\(socketFolder)&port=\(port)&user=postgres"
            + "&sslmode=disable&\(searchPath)"
        let encodedHost = try #require(
            socketFolder.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
        let encodedHostURL = "postgres://postgres@\(encodedHost):\(port)/\(database)?\(searchPath)"

        let viaSocket = try await SeedWorld.start(databaseURL: socketURL)
        let viaTCP = try TestServer(databaseURL: schema.url + "&sslmode=prefer")
        try await viaTCP.start()
        let token = try await viaSocket.nonWebToken()
        #expect(
            try await HTTPClient().get(viaTCP.url("/api/v1/me?access_token=\(token)")).status == 200
        )

        let migrate = try viaSocket.server.run(["migrate", "--database", encodedHostURL])
        #expect(migrate.status == 0, "\(migrate.stderr)")
        let users = try schema.query("SELECT count(*) FROM users")
        #expect(users == "1")
    }
}
