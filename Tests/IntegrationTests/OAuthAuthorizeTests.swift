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
            "/authorize/token?client_id=\(world.clientID)&client_secret=\(world.clientSecret)&code=\(code)"
        )
        #expect(legacy.status == 400)
        #expect(legacy.json?["error"] as? String == "invalid_grant")
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
                "/oauth/authorize?response_type=code&client_id=\(world.clientID)&redirect_uri=\(redirectURI)"
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
                "/oauth/authorize?response_type=code&client_id=\(world.clientID)&scope=builds%3Aread"
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
