import Foundation
import TestThreads
import Testing

/// `/oauth/authorize` and the metadata document over real HTTP.
@Suite(.onBlockingThreads, .timeLimit(.minutes(2)))
struct OAuthAuthorizeTests {
    static let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    static let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

    private func query(_ world: SeedWorld, state: String = "xyz") -> String {
        "response_type=code&client_id=\(world.clientID)"
            + "&redirect_uri=https%3A%2F%2Fgoat.example%2Foauth%2Fcallback&scope=profile"
            + "&state=\(state)&code_challenge=\(Self.challenge)&code_challenge_method=S256"
    }

    @Test func get_visitorSignsIn_consents_andGetsCodeStateAndIssuer() async throws {
        let world = try await SeedWorld.start()
        let visitor = HTTPClient(cookies: CookieJar())
        let first = try await visitor.get(world.url("/oauth/authorize?" + query(world)))
        #expect(first.status == 302)
        #expect(
            first.headers["Location"]?.hasPrefix("/login?return_to=%2Foauth%2Fauthorize%3F") == true
        )

        let loginPage = try await visitor.get(try #require(first.location))
        let signedIn = try await visitor.postForm(
            world.url("/login"),
            hiddenFields(in: loginPage.text) + [
                ("login", SeedWorld.username), ("password", SeedWorld.password),
            ])
        let consent = try await visitor.get(try #require(signedIn.location))
        #expect(consent.status == 200)
        #expect(consent.text.contains("action=\"/oauth/authorize/decision\""))

        let allowed = try await visitor.postForm(
            world.url("/oauth/authorize/decision"),
            hiddenFields(in: consent.text) + [("decision", "allow")])
        #expect(allowed.status == 302)
        let callback = try #require(allowed.location)
        #expect(callback.absoluteString.hasPrefix(SeedWorld.callback + "?code=lkc_"))
        #expect(callback.queryValue("state") == "xyz")
        #expect(callback.queryValue("iss") == world.base)

        // A PKCE-bound code cannot be redeemed where no verifier is checked.
        let code = try #require(callback.queryValue("code"))
        let legacy = try world.post(
            "/authorize/token?client_id=\(world.clientID)"
                + "&client_secret=\(world.clientSecret)&code=\(code)"
        )
        #expect(legacy.status == 400)
        #expect(legacy.json?["error"] as? String == "invalid_grant")
    }

    /// The whole standard flow as an OAuth library runs it: a public native client with
    /// PKCE on a loopback port, the code exchanged with the verifier, the API called,
    /// the refresh token rotated, the access revoked and introspected as inactive.
    @Test func publicClientWithPKCE_endToEnd() async throws {
        let world = try await SeedWorld.start()
        let (publicID, _) = try world.server.createClient(
            name: "Native", url: "https://native.example", callbacks: ["http://127.0.0.1/cb"],
            public: true)
        let browser = try await world.signIn()
        let authorize =
            "/oauth/authorize?response_type=code&client_id=\(publicID)"
            + "&redirect_uri=http%3A%2F%2F127.0.0.1%3A53682%2Fcb&scope=profile%20email"
            + "&state=s1&code_challenge=\(Self.challenge)&code_challenge_method=S256"
        let consent = try await browser.get(world.url(authorize))
        #expect(consent.status == 200)
        let allowed = try await browser.postForm(
            world.url("/oauth/authorize/decision"),
            hiddenFields(in: consent.text) + [("decision", "allow")])
        let callback = try #require(allowed.location)
        #expect(callback.absoluteString.hasPrefix("http://127.0.0.1:53682/cb?code=lkc_"))
        let code = try #require(callback.queryValue("code"))

        let exchange: [(String, String)] = [
            ("grant_type", "authorization_code"), ("code", code),
            ("redirect_uri", "http://127.0.0.1:53682/cb"), ("code_verifier", Self.verifier),
        ]
        let tokens = try world.token(exchange, auth: .publicClient(publicID))
        #expect(tokens.status == 200)
        #expect(tokens.headers["Cache-Control"] == "no-store")
        let access = try #require(tokens.json?["access_token"] as? String)
        let refresh = try #require(tokens.json?["refresh_token"] as? String)
        #expect(tokens.json?["expires_in"] as? Int == 3600)
        #expect(tokens.json?["scope"] as? String == "profile email")
        #expect(try await world.me(token: access).status == 200)

        let rotated = try world.token(
            [("grant_type", "refresh_token"), ("refresh_token", refresh)],
            auth: .publicClient(publicID))
        #expect(rotated.status == 200)
        let newAccess = try #require(rotated.json?["access_token"] as? String)
        let reused = try world.token(
            [("grant_type", "refresh_token"), ("refresh_token", refresh)],
            auth: .publicClient(publicID))
        #expect(reused.json?["error"] as? String == "invalid_grant")
        // Reuse of a rotated refresh token ends the whole family.
        #expect(try await world.me(token: newAccess).status == 401)

        let introspected = try world.oauthPost(
            "/oauth/introspect", [("token", access)], auth: world.seedBasic)
        #expect(introspected.text == #"{"active":false}"#)
    }

    @Test func widerScope_asksOnlyForTheNewScopes() async throws {
        let world = try await SeedWorld.start()
        let browser = try await world.signIn()
        _ = try await world.authorize(
            browser: browser, query: "client_id=\(world.clientID)&scope=profile")

        let consent = try await browser.get(
            world.url(
                "/oauth/authorize?response_type=code&client_id=\(world.clientID)"
                    + "&scope=profile%20email"))
        #expect(consent.status == 200)
        #expect(consent.text.contains("See your email address"))
        #expect(!consent.text.contains("See your username and profile"))
        // The request itself still carries both, and so does the code.
        #expect(
            hiddenFields(in: consent.text).contains {
                $0.0 == "scope" && $0.1 == "profile email"
            })
    }

    @Test func accessTokenLifetime_isConfigurable() async throws {
        let world = try await SeedWorld.start(extraArguments: ["--access-token-lifetime", "120"])
        let response = try world.token(
            [("grant_type", "client_credentials")], auth: world.seedBasic)
        #expect(response.json?["expires_in"] as? Int == 120)
    }

    @Test func post_withParametersInTheBody_showsConsent() async throws {
        let world = try await SeedWorld.start()
        let browser = try await world.signIn()
        let response = try await browser.send(
            method: "POST", url: world.url("/oauth/authorize"),
            headers: ["Content-Type": "application/x-www-form-urlencoded"],
            body: Data(query(world).utf8))
        #expect(response.status == 200)
        #expect(response.text.contains("Goat Simulator"))
        let fields = hiddenFields(in: response.text)
        #expect(fields.contains { $0.0 == "code_challenge" && $0.1 == Self.challenge })
    }

    @Test func deny_isAccessDeniedWithStateAndIssuer() async throws {
        let world = try await SeedWorld.start()
        let browser = try await world.signIn()
        let consent = try await browser.get(world.url("/oauth/authorize?" + query(world)))
        let denied = try await browser.postForm(
            world.url("/oauth/authorize/decision"),
            hiddenFields(in: consent.text) + [("decision", "deny")])
        let location = try #require(denied.location)
        #expect(location.absoluteString.hasPrefix(SeedWorld.callback + "?error=access_denied"))
        #expect(location.queryValue("state") == "xyz")
        #expect(location.queryValue("iss") == world.base)
    }

    @Test func unsupportedResponseType_isRedirectedAfterTheClientIsTrusted() async throws {
        let world = try await SeedWorld.start()
        let browser = try await world.signIn()
        let response = try await browser.get(
            world.url(
                "/oauth/authorize?"
                    + query(world).replacingOccurrences(
                        of: "response_type=code", with: "response_type=token")))
        #expect(response.status == 302)
        let location = try #require(response.location)
        #expect(location.queryValue("error") == "unsupported_response_type")
        #expect(location.queryValue("state") == "xyz")
        #expect(location.queryValue("iss") == world.base)
    }

    @Test(arguments: [
        "https%3A%2F%2Fevil.example%2Fcb",
        "https%3A%2F%2Fgoat.example%40evil.example%2Foauth%2Fcallback",
        "https%3A%2F%2Fgoat.example%2Foauth%2Fcallback%3Fx%3D1",
        "https%3A%2F%2Fgoat.example%2Foauth%2Fcallback%23f",
        "http%3A%2F%2Fgoat.example%2Foauth%2Fcallback",
        "https%3A%2F%2FGOAT.EXAMPLE%2Foauth%2Fcallback",
        "https%3A%2F%2Fgoat.example%2Foauth%2F%252e%252e%2Fcallback",
    ])
    func openRedirectAttempt_isAnErrorPage(redirectURI: String) async throws {
        let world = try await SeedWorld.start()
        let browser = try await world.signIn()
        let response = try await browser.get(
            world.url(
                "/oauth/authorize?response_type=code&client_id=\(world.clientID)"
                    + "&redirect_uri=\(redirectURI)"
            ))
        #expect(response.status == 400)
        #expect(response.headers["Location"] == nil)
        #expect(response.headers["Content-Type"]?.hasPrefix("text/html") == true)
    }

    @Test func metadata_namesEndpointsThatAnswer() async throws {
        let world = try await SeedWorld.start()
        let response = try await world.http.get(
            world.url("/.well-known/oauth-authorization-server"))
        #expect(response.status == 200)
        let metadata = try #require(response.json)
        #expect(metadata["issuer"] as? String == world.base)
        #expect(metadata["code_challenge_methods_supported"] as? [String] == ["S256"])
        #expect(metadata["response_types_supported"] as? [String] == ["code"])
        let authorization = try #require(metadata["authorization_endpoint"] as? String)
        let page = try await world.http.get(URL(string: authorization + "?client_id=nope")!)
        #expect(page.status == 400)
        #expect(page.headers["Content-Type"]?.hasPrefix("text/html") == true)

        // Every endpoint it names answers with the protocol's own error, not 404.
        for key in ["token_endpoint", "revocation_endpoint", "introspection_endpoint"] {
            let address = try #require(metadata[key] as? String)
            let endpoint = try #require(URL(string: address))
            let response = try world.oauthPost(endpoint.path, [], auth: nil)
            #expect([400, 401].contains(response.status), "\(key) answered \(response.status)")
            #expect(response.json?["error"] is String)
        }

        // Every grant type it lists is understood, and one it does not list is refused.
        let grants = try #require(metadata["grant_types_supported"] as? [String])
        for grant in grants {
            let response = try world.token([("grant_type", grant)], auth: world.seedBasic)
            #expect(response.json?["error"] as? String != "unsupported_grant_type", "\(grant)")
        }
        let implicit = try world.token([("grant_type", "implicit")], auth: world.seedBasic)
        #expect(implicit.json?["error"] as? String == "unsupported_grant_type")

        // Every client authentication method it lists works at the token endpoint.
        let methods = try #require(metadata["token_endpoint_auth_methods_supported"] as? [String])
        #expect(methods == ["client_secret_basic", "client_secret_post", "none"])
        for method in ConfidentialMethod.allCases {
            let response = try world.token(
                [("grant_type", "client_credentials")],
                auth: method.auth(world.clientID, world.clientSecret))
            #expect(response.status == 200, "\(method.rawValue)")
        }
    }
}

/// Scopes the operator adds with `--scope`.
@Suite(.onBlockingThreads, .timeLimit(.minutes(2)))
struct OperatorScopeTests {
    @Test func operatorScope_isOfferedDescribedAndListed() async throws {
        let world = try await SeedWorld.start(extraArguments: [
            "--scope", "builds:read=See your builds & apps",
        ])
        let browser = try await world.signIn()
        let consent = try await browser.get(
            world.url(
                "/oauth/authorize?response_type=code&client_id=\(world.clientID)"
                    + "&scope=builds%3Aread"
            ))
        #expect(consent.status == 200)
        #expect(consent.text.contains("See your builds &amp; apps"))

        let metadata = try await world.http.get(
            world.url("/.well-known/oauth-authorization-server"))
        let scopes = metadata.json?["scopes_supported"] as? [String]
        #expect(scopes == ["openid", "profile", "email", "builds:read"])
    }

    @Test(arguments: ["nodescription", "=empty name", "has space=x", "quote\"=x", "ok="])
    func badScopeDefinition_exitsTwo(definition: String) throws {
        let server = try TestServer()
        let result = try server.run(["serve", "--port", "0", "--scope", definition])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--scope must be NAME=DESCRIPTION"))
    }
}

/// A client limited with `latchkey client create --scopes`.
@Suite(.onBlockingThreads, .timeLimit(.minutes(2)))
struct AllowedScopeTests {
    @Test func limitedClient_getsItsScopesAndNoOthers() async throws {
        let world = try await SeedWorld.start()
        let (clientID, secret) = try world.server.createClient(
            name: "Profile only", url: "https://p.example", callbacks: ["https://p.example/cb"],
            extraArguments: ["--scopes", "profile", "--owner", "steve"])
        let browser = try await world.signIn()

        let refused = try await browser.get(
            world.url("/oauth/authorize?response_type=code&client_id=\(clientID)&scope=email"))
        #expect(refused.location?.queryValue("error") == "invalid_scope")

        // Without a scope it gets its defaults, limited to what it may ask for.
        let consent = try await browser.get(
            world.url("/oauth/authorize?response_type=code&client_id=\(clientID)"))
        #expect(hiddenFields(in: consent.text).contains { $0.0 == "scope" && $0.1 == "profile" })

        let tokens = try world.token(
            [("grant_type", "client_credentials"), ("scope", "email")],
            auth: .basic(clientID, secret!))
        #expect(tokens.json?["error"] as? String == "invalid_scope")
    }

    @Test func badScopeList_exitsTwo() throws {
        let server = try TestServer()
        let result = try server.run([
            "client", "create", "--name", "X", "--url", "https://x.example", "--callback",
            "https://x.example/cb", "--scopes", "has space",
        ])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--scopes"))
    }
}
