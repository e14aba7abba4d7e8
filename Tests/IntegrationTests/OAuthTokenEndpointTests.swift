import Foundation
import TestThreads
import Testing

/// `POST /oauth/token` over real HTTP: every grant with both client authentication
/// methods, PKCE, refresh rotation, and every error the endpoint answers.
///
/// Serialized: every test starts a server of its own, and run side by side with the other
/// suites they would start dozens at once on a small machine.
@Suite(.onBlockingThreads, .serialized, .timeLimit(.minutes(5)))
struct OAuthTokenEndpointTests {
    /// RFC 7636 appendix B.
    static let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    static let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

    private func expectTokens(
        _ response: TestResponse, refresh: Bool, scope: String = "profile email",
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(response.status == 200, sourceLocation: sourceLocation)
        #expect(
            response.headers["Content-Type"] == "application/json", sourceLocation: sourceLocation)
        #expect(response.headers["Cache-Control"] == "no-store", sourceLocation: sourceLocation)
        #expect(response.headers["Pragma"] == "no-cache", sourceLocation: sourceLocation)
        let json = response.json ?? [:]
        #expect(
            (json["access_token"] as? String)?.hasPrefix("lka_") == true,
            sourceLocation: sourceLocation)
        #expect(json["token_type"] as? String == "Bearer", sourceLocation: sourceLocation)
        #expect(json["expires_in"] as? Int == 3600, sourceLocation: sourceLocation)
        #expect(json["scope"] as? String == scope, sourceLocation: sourceLocation)
        #expect(
            (json["refresh_token"] as? String)?.hasPrefix("lkr_") == (refresh ? true : nil),
            sourceLocation: sourceLocation)
    }

    // MARK: Grants, end to end

    @Test(arguments: ConfidentialMethod.allCases)
    func authorizationCode_issuesTokensThatWorkAtTheAPI(method: ConfidentialMethod) async throws {
        let world = try await SeedWorld.start()
        let code = try await world.webFlowCode()

        let response = try world.token(
            [("grant_type", "authorization_code"), ("code", code)],
            auth: method.auth(world.clientID, world.clientSecret))

        expectTokens(response, refresh: true)
        let accessToken = try #require(response.json?["access_token"] as? String)
        let me = try await world.me(token: accessToken)
        #expect(me.status == 200)
        #expect(me.json?["username"] as? String == "steve")
        let log = try await world.server.waitForLog(containing: "oauth.token.issued")
        #expect(log.contains("oauth.grant_type=authorization_code"))
        #expect(log.contains("token.hash="))
        for secret in [accessToken, code, world.clientSecret] {
            #expect(!log.contains(secret))
        }
    }

    @Test func authorizationCode_redirectURIOfTheAuthorization_mustBeRepeated() async throws {
        let world = try await SeedWorld.start()
        let browser = try await world.signIn()
        let query = "client_id=\(world.clientID)&redirect_uri=\(SeedWorld.callback)"
        let code = try await world.authorize(browser: browser, query: query)
        let withoutURI = try world.token(
            [("grant_type", "authorization_code"), ("code", code)], auth: world.seedBasic)
        expectOAuthError(withoutURI, status: 400, error: "invalid_grant")

        let again = try await world.authorize(browser: browser, query: query)
        let withURI = try world.token(
            [
                ("grant_type", "authorization_code"), ("code", again),
                ("redirect_uri", SeedWorld.callback),
            ], auth: world.seedBasic)
        expectTokens(withURI, refresh: true)
    }

    @Test func basicWithFormEncodedCredentials_isDecoded() async throws {
        let world = try await SeedWorld.start()
        let code = try await world.webFlowCode()
        // Every character escaped, as RFC 6749 §2.3.1 allows.
        let escape: (String) -> String = {
            $0.utf8.map { String(format: "%%%02X", $0) }.joined()
        }
        let credentials = escape(world.clientID) + ":" + escape(world.clientSecret)
        let response = try world.token(
            [("grant_type", "authorization_code"), ("code", code)],
            auth: .header("Basic " + Data(credentials.utf8).base64EncodedString()))
        expectTokens(response, refresh: true)
    }

    @Test func pkce_publicClient_RFC7636Vector_withClientIDOrGoStyleEmptyBasic() async throws {
        let world = try await SeedWorld.start()
        let (publicID, _) = try world.makeClient(isPublic: true)

        let first = try world.storePKCECode(clientID: publicID, challenge: Self.challenge)
        let viaBody = try world.token(
            [
                ("grant_type", "authorization_code"), ("code", first),
                ("code_verifier", Self.verifier),
            ], auth: .publicClient(publicID))
        expectTokens(viaBody, refresh: true)

        let second = try world.storePKCECode(clientID: publicID, challenge: Self.challenge)
        let viaEmptyBasic = try world.token(
            [
                ("grant_type", "authorization_code"), ("code", second),
                ("code_verifier", Self.verifier),
            ], auth: .header(basic(publicID, "")))
        expectTokens(viaEmptyBasic, refresh: true)
    }

    @Test func pkce_confidentialClient_RFC7636Vector() async throws {
        let world = try await SeedWorld.start()
        let code = try world.storePKCECode(clientID: world.clientID, challenge: Self.challenge)
        let response = try world.token(
            [
                ("grant_type", "authorization_code"), ("code", code),
                ("code_verifier", Self.verifier),
            ], auth: .post(world.clientID, world.clientSecret))
        expectTokens(response, refresh: true)
    }

    @Test func pkce_wrongVerifier_isInvalidGrant_missingVerifier_isInvalidRequest() async throws {
        let world = try await SeedWorld.start()
        let (publicID, _) = try world.makeClient(isPublic: true)

        let code = try world.storePKCECode(clientID: publicID, challenge: Self.challenge)
        let wrong = try world.token(
            [
                ("grant_type", "authorization_code"), ("code", code),
                ("code_verifier", String(Self.verifier.reversed())),
            ], auth: .publicClient(publicID))
        expectOAuthError(wrong, status: 400, error: "invalid_grant")

        let another = try world.storePKCECode(clientID: publicID, challenge: Self.challenge)
        let missing = try world.token(
            [("grant_type", "authorization_code"), ("code", another)], auth: .publicClient(publicID)
        )
        expectOAuthError(missing, status: 400, error: "invalid_request")

        let plain = try world.storePKCECode(
            clientID: publicID, challenge: Self.verifier, method: "plain")
        let plainAnswer = try world.token(
            [
                ("grant_type", "authorization_code"), ("code", plain),
                ("code_verifier", Self.verifier),
            ], auth: .publicClient(publicID))
        expectOAuthError(plainAnswer, status: 400, error: "invalid_grant")

        let unbound = try world.storePKCECode(clientID: publicID, challenge: nil)
        let noPKCE = try world.token(
            [("grant_type", "authorization_code"), ("code", unbound)], auth: .publicClient(publicID)
        )
        expectOAuthError(noPKCE, status: 400, error: "invalid_grant")
    }

    @Test(arguments: ConfidentialMethod.allCases)
    func refreshToken_rotates_andReuseRevokesTheFamily(method: ConfidentialMethod) async throws {
        let world = try await SeedWorld.start()
        let auth = method.auth(world.clientID, world.clientSecret)
        let first = try await world.codeGrantTokens(auth: auth)
        let firstRefresh = try #require(first["refresh_token"] as? String)

        let rotated = try world.token(
            [("grant_type", "refresh_token"), ("refresh_token", firstRefresh)], auth: auth)
        expectTokens(rotated, refresh: true)
        let secondAccess = try #require(rotated.json?["access_token"] as? String)
        let secondRefresh = try #require(rotated.json?["refresh_token"] as? String)
        #expect(secondRefresh != firstRefresh)
        #expect(try await world.me(token: secondAccess).status == 200)

        let reused = try world.token(
            [("grant_type", "refresh_token"), ("refresh_token", firstRefresh)], auth: auth)
        expectOAuthError(reused, status: 400, error: "invalid_grant")
        #expect(try await world.me(token: secondAccess).status == 401)
        let afterReuse = try world.token(
            [("grant_type", "refresh_token"), ("refresh_token", secondRefresh)], auth: auth)
        expectOAuthError(afterReuse, status: 400, error: "invalid_grant")
        let log = try await world.server.waitForLog(containing: "oauth.refresh.reused")
        #expect(!log.contains(firstRefresh))
    }

    @Test func refreshToken_narrowerScope_isGranted_widerIsInvalidScope() async throws {
        let world = try await SeedWorld.start()
        let first = try await world.codeGrantTokens()
        let refresh = try #require(first["refresh_token"] as? String)

        let wider = try world.token(
            [("grant_type", "refresh_token"), ("refresh_token", refresh), ("scope", "openid")],
            auth: world.seedBasic)
        expectOAuthError(wider, status: 400, error: "invalid_scope")

        let narrower = try world.token(
            [("grant_type", "refresh_token"), ("refresh_token", refresh), ("scope", "email")],
            auth: world.seedBasic)
        expectTokens(narrower, refresh: true, scope: "email")
    }

    @Test func refreshToken_twentyThreadsAtOnce_exactlyOneSucceeds() async throws {
        let world = try await SeedWorld.start()
        let first = try await world.codeGrantTokens()
        let refresh = try #require(first["refresh_token"] as? String)

        let statuses = simultaneously(20) {
            (try? world.token(
                [("grant_type", "refresh_token"), ("refresh_token", refresh)],
                auth: world.seedBasic))?.status ?? -1
        }

        #expect(statuses.count == 20)
        #expect(statuses.filter { $0 == 200 }.count == 1)
        #expect(statuses.filter { $0 == 400 }.count == 19)
    }

    @Test(arguments: ConfidentialMethod.allCases)
    func clientCredentials_issuesAnAccessTokenOnly(method: ConfidentialMethod) async throws {
        let world = try await SeedWorld.start()
        let (id, secret) = try world.makeClient(grants: "client_credentials")
        let response = try world.token(
            [("grant_type", "client_credentials"), ("scope", "profile")],
            auth: method.auth(id, secret!))
        expectTokens(response, refresh: false, scope: "profile")
        // No user stands behind it, so the profile API has nobody to show.
        let token = try #require(response.json?["access_token"] as? String)
        #expect(try await world.me(token: token).status == 401)
    }

    /// Token requests run on the blocking pool and share commits; with the pool turned
    /// off they run on the workers. Either way every request gets a token of its own,
    /// stored before it was answered.
    @Test(arguments: [[], ["--blocking-threads", "0"]])
    func clientCredentials_manyAtOnce_eachGetsAWorkingToken(extraArguments: [String])
        async throws
    {
        let world = try await SeedWorld.start(extraArguments: extraArguments)
        let (id, secret) = try world.makeClient(grants: "client_credentials")
        let answers = Collected<String>()

        DispatchQueue.concurrentPerform(iterations: 40) { _ in
            let response = try? world.token(
                [("grant_type", "client_credentials")], auth: .basic(id, secret!))
            answers.append(
                response?.json?["access_token"] as? String
                    ?? "status \(response?.status ?? 0)")
        }

        let tokens = answers.all
        #expect(Set(tokens).count == 40)
        #expect(tokens.allSatisfy { $0.hasPrefix("lka_") })
        for token in tokens {
            let answer = try world.oauthPost(
                "/oauth/introspect", [("token", token)], auth: .basic(id, secret!))
            #expect(answer.json?["active"] as? Bool == true)
        }
    }

    @Test(arguments: ConfidentialMethod.allCases)
    func password_issuesTokens(method: ConfidentialMethod) async throws {
        let world = try await SeedWorld.start()
        let response = try world.token(
            [
                ("grant_type", "password"), ("username", SeedWorld.email),
                ("password", SeedWorld.password),
            ], auth: method.auth(world.clientID, world.clientSecret))
        expectTokens(response, refresh: true)
        let token = try #require(response.json?["access_token"] as? String)
        #expect(try await world.me(token: token).json?["email"] as? String == SeedWorld.email)
        let log = try await world.server.waitForLog(containing: "oauth.grant_type=password")
        #expect(!log.contains(SeedWorld.password))
    }

    @Test func password_wrongThenLocked_is400Then429WithRetryAfter() async throws {
        let world = try await SeedWorld.start()
        let wrong = [
            ("grant_type", "password"), ("username", SeedWorld.username), ("password", "nope"),
        ]
        let first = try world.token(wrong, auth: world.seedBasic)
        expectOAuthError(first, status: 400, error: "invalid_grant")
        let log = try await world.server.waitForLog(containing: "auth.login.failed")
        #expect(!log.contains("nope"))
        for _ in 1..<10 { _ = try world.token(wrong, auth: world.seedBasic) }

        let locked = try world.token(
            [
                ("grant_type", "password"), ("username", SeedWorld.username),
                ("password", SeedWorld.password),
            ], auth: world.seedBasic)
        expectOAuthError(locked, status: 429, error: "invalid_request")
        #expect(locked.headers["Retry-After"] == "900")
        // The non-web flow shares the lockout.
        #expect(try await world.nonWebTokenStatus() == 429)
    }

    // MARK: The error table

    @Test func invalidRequest_everyCause() async throws {
        let world = try await SeedWorld.start()
        let code = try await world.webFlowCode()
        let exchange = [("grant_type", "authorization_code"), ("code", code)]

        let noGrantType = try world.token([("code", code)], auth: world.seedBasic)
        expectOAuthError(noGrantType, status: 400, error: "invalid_request")

        let repeated = try world.token(
            exchange + [("code", code)], auth: world.seedBasic)
        expectOAuthError(repeated, status: 400, error: "invalid_request")
        #expect(repeated.json?["error_description"] as? String == "The parameter code is repeated.")

        let secretInQuery = try world.token(
            exchange, auth: nil,
            query: "client_id=\(world.clientID)&client_secret=\(world.clientSecret)")
        expectOAuthError(secretInQuery, status: 400, error: "invalid_request")

        let twoMethods = try world.token(
            exchange + [("client_secret", world.clientSecret)], auth: world.seedBasic)
        expectOAuthError(twoMethods, status: 400, error: "invalid_request", challenge: false)

        let json = try world.post(
            "/oauth/token", headers: ["Content-Type": "application/json"],
            body: #"{"grant_type":"client_credentials"}"#)
        expectOAuthError(json, status: 400, error: "invalid_request")

        let badEscape = try world.post(
            "/oauth/token", headers: ["Authorization": basic(world.clientID, world.clientSecret)],
            body: "grant_type=authorization_code&code=%zz")
        expectOAuthError(badEscape, status: 400, error: "invalid_request")

        let noCode = try world.token([("grant_type", "authorization_code")], auth: world.seedBasic)
        expectOAuthError(noCode, status: 400, error: "invalid_request")

        // None of these spent the code.
        expectTokens(try world.token(exchange, auth: world.seedBasic), refresh: true)
    }

    @Test func tooManyParameters_isInvalidRequest() async throws {
        let world = try await SeedWorld.start()
        let pairs = (0..<150).map { ("p\($0)", "v") }
        let response = try world.token(
            [("grant_type", "client_credentials")] + pairs, auth: world.seedBasic)
        expectOAuthError(response, status: 400, error: "invalid_request")
    }

    @Test func invalidClient_everyCause_is401WithBasicChallenge_andLeavesTheCodeUnused()
        async throws
    {
        let world = try await SeedWorld.start()
        let code = try await world.webFlowCode()
        let exchange = [("grant_type", "authorization_code"), ("code", code)]
        let wrongSecret = "lks_" + String(repeating: "A", count: 49)

        let failures: [ClientAuth?] = [
            .basic(world.clientID, wrongSecret), .post(world.clientID, wrongSecret),
            .basic("nobody", world.clientSecret), .publicClient(world.clientID),
            .header(basic(world.clientID, "")), .header("Bearer " + wrongSecret),
            .header("Basic !!!not-base64"), nil,
        ]
        for auth in failures {
            let response = try world.token(exchange, auth: auth)
            expectOAuthError(response, status: 401, error: "invalid_client", challenge: true)
            #expect(
                response.json?["error_description"] as? String == "Client authentication failed.")
        }

        expectTokens(try world.token(exchange, auth: world.seedBasic), refresh: true)
    }

    @Test func invalidGrant_unknownMalformedReplayedOrForeignCode() async throws {
        let world = try await SeedWorld.start()
        for bad in ["lkc_nope", "x", "lkc_" + String(repeating: "A", count: 49)] {
            let response = try world.token(
                [("grant_type", "authorization_code"), ("code", bad)], auth: world.seedBasic)
            expectOAuthError(response, status: 400, error: "invalid_grant")
        }

        let code = try await world.webFlowCode()
        let (otherID, otherSecret) = try world.makeClient()
        let foreign = try world.token(
            [("grant_type", "authorization_code"), ("code", code)],
            auth: .basic(otherID, otherSecret!))
        expectOAuthError(foreign, status: 400, error: "invalid_grant")

        let fresh = try await world.webFlowCode()
        let exchange = [("grant_type", "authorization_code"), ("code", fresh)]
        let tokens = try world.token(exchange, auth: world.seedBasic)
        let accessToken = try #require(tokens.json?["access_token"] as? String)
        let replay = try world.token(exchange, auth: world.seedBasic)
        expectOAuthError(replay, status: 400, error: "invalid_grant")
        #expect(try await world.me(token: accessToken).status == 401)
    }

    @Test func unauthorizedClient_grantNotAllowed_orPublicClientCredentials() async throws {
        let world = try await SeedWorld.start()
        let (codeOnlyID, codeOnlySecret) = try world.makeClient(grants: "authorization_code")
        let ccDenied = try world.token(
            [("grant_type", "client_credentials")], auth: .basic(codeOnlyID, codeOnlySecret!))
        expectOAuthError(ccDenied, status: 400, error: "unauthorized_client")

        // Registration refuses client credentials for a public client; the endpoint
        // refuses it again on its own.
        let refused = try world.server.run([
            "client", "create", "--name", "P", "--url", "https://p.example", "--callback",
            "https://p.example/cb", "--public", "--grants", "client_credentials",
        ])
        #expect(refused.status == 2)
        let (publicID, _) = try world.makeClient(grants: "authorization_code", isPublic: true)
        let publicCC = try world.token(
            [("grant_type", "client_credentials")], auth: .publicClient(publicID))
        expectOAuthError(publicCC, status: 400, error: "unauthorized_client")

        let password = try world.token(
            [
                ("grant_type", "password"), ("username", SeedWorld.username),
                ("password", SeedWorld.password),
            ], auth: .post(codeOnlyID, codeOnlySecret!))
        expectOAuthError(password, status: 400, error: "unauthorized_client")
    }

    @Test(arguments: [
        "implicit", "token", "urn:ietf:params:oauth:grant-type:saml2-bearer", "Password",
    ])
    func unsupportedGrantType(grantType: String) async throws {
        let world = try await SeedWorld.start()
        let response = try world.token([("grant_type", grantType)], auth: world.seedBasic)
        expectOAuthError(response, status: 400, error: "unsupported_grant_type")
    }

    @Test func invalidScope_unknownOrNotAllowed() async throws {
        let world = try await SeedWorld.start()
        let (id, secret) = try world.makeClient(grants: "client_credentials")
        for scope in ["admin", "profile superuser", "   "] {
            let response = try world.token(
                [("grant_type", "client_credentials"), ("scope", scope)],
                auth: .basic(id, secret!))
            expectOAuthError(response, status: 400, error: "invalid_scope")
        }
    }

    @Test func wrongMethod_is405InJSON() async throws {
        let world = try await SeedWorld.start()
        let response = try PlainSocketClient.send(method: "GET", url: world.url("/oauth/token"))
        #expect(response.status == 405)
        #expect(response.headers["Allow"] == "POST")
        #expect(response.json?["error"] as? String == "invalid_request")
    }

    // MARK: Hostile sizes

    @Test func hostileSizes_getTheirErrorNeverA500() async throws {
        let world = try await SeedWorld.start()
        let huge = String(repeating: "A", count: 900_000)

        let grantType = try world.token([("grant_type", huge)], auth: world.seedBasic)
        expectOAuthError(grantType, status: 400, error: "unsupported_grant_type")
        #expect(grantType.body.count < 1000)

        let code = try world.token(
            [("grant_type", "authorization_code"), ("code", huge)], auth: world.seedBasic)
        expectOAuthError(code, status: 400, error: "invalid_grant")

        let scope = try world.token(
            [
                ("grant_type", "password"), ("username", "steve"), ("password", "x"),
                ("scope", huge),
            ],
            auth: world.seedBasic)
        expectOAuthError(scope, status: 400, error: "invalid_scope")
        #expect(scope.body.count < 1000)

        let clientID = try world.token(
            [("grant_type", "client_credentials")], auth: .post(huge, world.clientSecret))
        expectOAuthError(clientID, status: 401, error: "invalid_client")

        let verifier = try world.storePKCECode(clientID: world.clientID, challenge: Self.challenge)
        let longVerifier = try world.token(
            [("grant_type", "authorization_code"), ("code", verifier), ("code_verifier", huge)],
            auth: world.seedBasic)
        expectOAuthError(longVerifier, status: 400, error: "invalid_grant")

        let tooLarge = try world.token(
            [("grant_type", "client_credentials"), ("x", huge + huge)], auth: world.seedBasic)
        #expect(tooLarge.status == 413)
        #expect(tooLarge.json?["error"] as? String == "invalid_request")
    }
}

extension SeedWorld {
    /// The status of the seed's non-web flow with the right password.
    func nonWebTokenStatus() async throws -> Int {
        try PlainSocketClient.send(
            method: "POST",
            url: url("/authorize?client_id=\(clientID)&client_secret=\(clientSecret)"),
            headers: ["Authorization": basic(SeedWorld.email, SeedWorld.password)]
        ).status
    }
}
