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

    /// A crash of one process loses nothing a client was told: every token answered with
    /// a 200 before `kill -9` is active after the restart, and the other process serves
    /// on meanwhile.
    @Test func kill9DuringABurst_everyTokenAnswered200_staysActive() async throws {
        let (schema, a, b) = try await pair()
        defer { withExtendedLifetime(schema) {} }
        let (clientID, secret) = try a.makeClient(grants: "client_credentials")
        let auth = ClientAuth.basic(clientID, secret!)

        let issued = Collected<String>()
        let stop = Atomic<Bool>(false)
        let group = DispatchGroup()
        for thread in 0..<4 {
            let world = thread % 2 == 0 ? a : b
            group.enter()
            Thread {
                defer { group.leave() }
                var failures = 0
                while !stop.load(ordering: .acquiring), failures < 20 {
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
                        issued.append(token)
                    } else {
                        failures += 1
                    }
                }
            }.start()
        }

        try await Task.sleep(for: .milliseconds(700))
        try await a.server.kill9()
        try await Task.sleep(for: .milliseconds(300))
        stop.store(true, ordering: .releasing)
        group.wait()

        try await a.server.start()
        let tokens = issued.all
        #expect(tokens.count >= 8)
        for (index, token) in tokens.enumerated() {
            let world = index % 2 == 0 ? a : b
            let answer = try world.oauthPost("/oauth/introspect", [("token", token)], auth: auth)
            #expect(answer.json?["active"] as? Bool == true)
        }
    }
}
