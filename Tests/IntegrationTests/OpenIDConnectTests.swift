import Foundation
import TestThreads
import Testing

/// OpenID Connect Core 1.0 over real HTTP: ID tokens checked against the JWKS by an
/// independent verifier, UserInfo, key rotation and discovery.
@Suite(.onBlockingThreads, .timeLimit(.minutes(2)))
struct OpenIDConnectTests {
    @Test func codeFlow_idTokenVerifiesFromTheJWKS_withClaimsAndNonce() async throws {
        let world = try await SeedWorld.start()
        let browser = try await world.signIn()
        let before = Int(Date().timeIntervalSince1970)

        let tokens = try await world.openIDTokens(
            browser, query: SeedWorld.openIDQuery + "&nonce=n-0S6_WzA2Mj")

        #expect(tokens["scope"] as? String == "openid profile email")
        let accessToken = try #require(tokens["access_token"] as? String)
        let idToken = try #require(tokens["id_token"] as? String)
        let verified = try await world.verify(idToken: idToken)
        #expect(verified.header["alg"] as? String == "RS256")
        #expect(verified.header["typ"] as? String == "JWT")
        let claims = verified.claims
        #expect(claims["iss"] as? String == world.base)
        #expect(claims["aud"] as? String == world.clientID)
        #expect(claims["nonce"] as? String == "n-0S6_WzA2Mj")
        #expect(claims["at_hash"] as? String == expectedAccessTokenHash(accessToken))
        let issuedAt = try #require(claims["iat"] as? Int)
        #expect(claims["exp"] as? Int == issuedAt + 3600)
        #expect(issuedAt >= before - 1)
        let authTime = try #require(claims["auth_time"] as? Int)
        #expect(authTime <= issuedAt && authTime >= before - 60)
        #expect(claims["email"] as? String == SeedWorld.email)
        #expect(claims["email_verified"] as? Bool == false)
        #expect(claims["preferred_username"] as? String == SeedWorld.username)

        // The subject is opaque: not the row id, the same at UserInfo, and stable.
        let subject = try #require(claims["sub"] as? String)
        #expect(Int(subject) == nil && subject.count >= 43)
        let userInfo = try await world.http.get(
            world.url("/oauth/userinfo"), headers: ["Authorization": "Bearer \(accessToken)"])
        #expect(userInfo.status == 200)
        #expect(userInfo.json?["sub"] as? String == subject)
        let again = try await world.openIDTokens(browser)
        let second = try await world.verify(idToken: try #require(again["id_token"] as? String))
        #expect(second.claims["sub"] as? String == subject)
        #expect(second.claims["nonce"] == nil)

        // A token that did not ask for openid carries no ID token.
        let plain = try await world.openIDTokens(
            browser, query: "response_type=code&scope=profile&state=s")
        #expect(plain["id_token"] == nil)
    }

    @Test func es256Client_idTokenIsSignedWithItsECKey() async throws {
        let world = try await SeedWorld.start()
        let (clientID, secret) = try world.server.createClient(
            name: "EC", url: "https://ec.example", callbacks: ["https://ec.example/cb"],
            extraArguments: ["--id-token-alg", "ES256"])
        let browser = try await world.signIn()
        let listed = try world.server.run(["client", "list", "--json"])
        #expect(listed.stdout.contains(#""id_token_signed_response_alg":"ES256""#))

        let tokens = try await world.openIDTokens(browser, clientID: clientID, secret: secret)

        let verified = try await world.verify(idToken: try #require(tokens["id_token"] as? String))
        #expect(verified.header["alg"] as? String == "ES256")
        #expect(verified.claims["aud"] as? String == clientID)
        let keys = try await world.publishedKeys()
        let ecKey = try #require(keys[verified.header["kid"] as! String])
        #expect(ecKey["kty"] == "EC" && ecKey["crv"] == "P-256" && ecKey["use"] == "sig")
        #expect(ecKey["x"]?.count == 43 && ecKey["y"]?.count == 43 && ecKey["d"] == nil)
        let rsaKey = try #require(keys.values.first { $0["alg"] == "RS256" })
        #expect(rsaKey["kty"] == "RSA" && rsaKey["e"] == "AQAB" && rsaKey["n"]?.count == 342)
        #expect(rsaKey["d"] == nil && rsaKey["p"] == nil)
    }

    @Test func refreshGrant_keepsIssuingIDTokensWithTheOriginalAuthTime() async throws {
        let world = try await SeedWorld.start()
        let browser = try await world.signIn()
        let first = try await world.openIDTokens(
            browser, query: SeedWorld.openIDQuery + "&nonce=abc")
        let original = try await world.verify(idToken: try #require(first["id_token"] as? String))

        let refreshed = try world.token(
            [
                ("grant_type", "refresh_token"),
                ("refresh_token", try #require(first["refresh_token"] as? String)),
            ], auth: world.seedBasic)

        #expect(refreshed.status == 200)
        let json = try #require(refreshed.json)
        let renewed = try await world.verify(idToken: try #require(json["id_token"] as? String))
        #expect(renewed.claims["sub"] as? String == original.claims["sub"] as? String)
        #expect(renewed.claims["auth_time"] as? Int == original.claims["auth_time"] as? Int)
        #expect(renewed.claims["nonce"] == nil)
        #expect(
            renewed.claims["at_hash"] as? String
                == expectedAccessTokenHash(try #require(json["access_token"] as? String)))

        // Narrowed to a scope without openid: no ID token.
        let narrowed = try world.token(
            [
                ("grant_type", "refresh_token"),
                ("refresh_token", try #require(json["refresh_token"] as? String)),
                ("scope", "profile"),
            ], auth: world.seedBasic)
        #expect(narrowed.status == 200)
        #expect(narrowed.json?["id_token"] == nil)
    }

    @Test func keyRotation_oldTokensStillVerify_newTokensUseTheNewKey() async throws {
        let world = try await SeedWorld.start()
        let browser = try await world.signIn()
        let before = try await world.openIDTokens(browser)
        let oldToken = try #require(before["id_token"] as? String)
        let oldKid = try await world.verify(idToken: oldToken).header["kid"] as? String

        let rotated = try world.server.run(["keys", "rotate"])

        #expect(rotated.status == 0, "\(rotated.stderr)")
        #expect(rotated.stdout.contains("new RS256 signing key"))
        #expect(rotated.stdout.contains("new ES256 signing key"))
        _ = try await world.verify(idToken: oldToken)
        let keys = try await world.publishedKeys()
        #expect(keys.count == 4)
        #expect(keys[oldKid ?? ""] != nil)
        let after = try await world.openIDTokens(browser)
        let newKid =
            try await world.verify(idToken: try #require(after["id_token"] as? String))
            .header["kid"] as? String
        #expect(newKid != oldKid)
        #expect(rotated.stdout.contains(newKid ?? "missing"))
    }

    @Test func keyEncryptionKeyFile_isPrivate_andTheKeysNeverAppearInClear() async throws {
        let world = try await SeedWorld.start()
        _ = try await world.publishedKeys()
        let database = String(world.server.databaseURL.dropFirst("sqlite:".count))

        let attributes = try FileManager.default.attributesOfItem(atPath: database + ".kek")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let wrongRotation = try world.server.run([
            "keys", "rotate", "--key-encryption-key", String(repeating: "ab", count: 32),
        ])
        #expect(wrongRotation.status == 1)
        #expect(wrongRotation.stderr.contains("does not open with the configured key"))

        // The server refuses to start with a key that does not open the stored keys.
        _ = try await world.server.stop()
        let wrong = try world.server.run([
            "serve", "--port", "0", "--key-encryption-key", String(repeating: "cd", count: 32),
        ])
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("key encryption key"))
    }
}

/// `prompt` and `max_age` (OIDC Core §3.1.2.1) at `/oauth/authorize`.
@Suite(.onBlockingThreads, .timeLimit(.minutes(2)))
struct OpenIDPromptTests {
    @Test func promptNone_withoutSession_isLoginRequiredRedirectedWithStateAndIssuer()
        async throws
    {
        let world = try await SeedWorld.start()
        let visitor = HTTPClient(cookies: CookieJar())

        let response = try await visitor.get(
            world.url(
                "/oauth/authorize?client_id=\(world.clientID)&" + SeedWorld.openIDQuery
                    + "&prompt=none"))

        #expect(response.status == 302)
        let location = try #require(response.location)
        #expect(location.absoluteString.hasPrefix(SeedWorld.callback + "?error=login_required"))
        #expect(location.queryValue("state") == "s1")
        #expect(location.queryValue("iss") == world.base)
    }

    @Test func promptNone_withSession_consentRequiredThenCodeOnceGranted() async throws {
        let world = try await SeedWorld.start()
        let browser = try await world.signIn()
        let silent = SeedWorld.openIDQuery + "&prompt=none"

        let refused = try await browser.get(
            world.url("/oauth/authorize?client_id=\(world.clientID)&" + silent))
        #expect(refused.status == 302)
        #expect(refused.location?.queryValue("error") == "consent_required")
        #expect(refused.location?.queryValue("state") == "s1")

        _ = try await world.authorizeOpenID(browser)
        let granted = try await browser.get(
            world.url("/oauth/authorize?client_id=\(world.clientID)&" + silent))
        #expect(granted.status == 302)
        #expect(granted.location?.queryValue("code")?.hasPrefix("lkc_") == true)
        #expect(granted.location?.queryValue("state") == "s1")
    }

    @Test func promptConsent_asksAgainDespiteRememberedConsent() async throws {
        let world = try await SeedWorld.start()
        let browser = try await world.signIn()
        _ = try await world.authorizeOpenID(browser)

        let asked = try await browser.get(
            world.url(
                "/oauth/authorize?client_id=\(world.clientID)&" + SeedWorld.openIDQuery
                    + "&prompt=consent"))

        #expect(asked.status == 200)
        #expect(asked.text.contains("action=\"/oauth/authorize/decision\""))
    }

    @Test func promptLogin_signedInUserSignsInAgain_andAuthTimeMoves() async throws {
        let world = try await SeedWorld.start()
        let browser = try await world.signIn()
        let first = try await world.openIDTokens(browser)
        let firstAuth =
            try await world.verify(idToken: try #require(first["id_token"] as? String))
            .claims["auth_time"] as? Int
        try await Task.sleep(for: .milliseconds(1100))

        let login = try await browser.get(
            world.url(
                "/oauth/authorize?client_id=\(world.clientID)&" + SeedWorld.openIDQuery
                    + "&prompt=login&nonce=again"))
        #expect(login.status == 302)
        let loginAddress = try #require(login.headers["Location"])
        #expect(loginAddress.hasPrefix("/login?prompt=login&return_to="))
        let page = try await browser.get(world.url(loginAddress))
        #expect(page.status == 200)
        let signedIn = try await browser.postForm(
            world.url("/login"),
            hiddenFields(in: page.text) + [
                ("login", SeedWorld.username), ("password", SeedWorld.password),
            ])
        #expect(signedIn.status == 303)

        // Back at the request, without prompt=login, so no loop; consent is remembered.
        let back = try await browser.get(try #require(signedIn.location))
        #expect(back.status == 302)
        let code = try #require(back.location?.queryValue("code"))
        let tokens = try world.token(
            [("grant_type", "authorization_code"), ("code", code)], auth: world.seedBasic)
        let claims = try await world.verify(
            idToken: try #require(tokens.json?["id_token"] as? String)
        ).claims
        #expect(claims["nonce"] as? String == "again")
        #expect((claims["auth_time"] as? Int ?? 0) > (firstAuth ?? .max))
    }

    @Test func maxAge_olderSessionSignsInAgain_youngerOneDoesNot() async throws {
        let world = try await SeedWorld.start()
        let browser = try await world.signIn()
        _ = try await world.authorizeOpenID(browser)
        try await Task.sleep(for: .milliseconds(1100))

        let fresh = try await browser.get(
            world.url(
                "/oauth/authorize?client_id=\(world.clientID)&" + SeedWorld.openIDQuery
                    + "&max_age=3600"))
        #expect(fresh.location?.queryValue("code") != nil)

        let stale = try await browser.get(
            world.url(
                "/oauth/authorize?client_id=\(world.clientID)&" + SeedWorld.openIDQuery
                    + "&max_age=0"))
        #expect(stale.headers["Location"]?.hasPrefix("/login?prompt=login&return_to=") == true)
        #expect(stale.headers["Location"]?.contains("max_age") == false)

        let silent = try await browser.get(
            world.url(
                "/oauth/authorize?client_id=\(world.clientID)&" + SeedWorld.openIDQuery
                    + "&max_age=0&prompt=none"))
        #expect(silent.location?.queryValue("error") == "login_required")
    }

    @Test(arguments: [
        ("prompt=bogus", "invalid_request"), ("prompt=none%20login", "invalid_request"),
        ("prompt=none&prompt=none", "invalid_request"), ("max_age=-1", "invalid_request"),
        ("max_age=abc", "invalid_request"), ("max_age=1e3", "invalid_request"),
        ("max_age=", "invalid_request"), ("max_age=99999999999", "invalid_request"),
        ("max_age=1&max_age=2", "invalid_request"), ("nonce=a&nonce=b", "invalid_request"),
        ("nonce=" + String(repeating: "n", count: 513), "invalid_request"),
        ("prompt=%3Cscript%3E", "invalid_request"),
    ])
    func badOpenIDParameter_isRedirectedError(parameter: String, error: String) async throws {
        let world = try await SeedWorld.start()
        let browser = try await world.signIn()

        let response = try await browser.get(
            world.url(
                "/oauth/authorize?client_id=\(world.clientID)&" + SeedWorld.openIDQuery + "&"
                    + parameter))

        #expect(response.status == 302)
        #expect(response.location?.queryValue("error") == error)
        #expect(response.location?.queryValue("state") == "s1")
        #expect(response.location?.queryValue("error_description")?.contains("<") == false)
    }
}

/// `/oauth/userinfo`, `/oauth/jwks` and the discovery document.
@Suite(.onBlockingThreads, .timeLimit(.minutes(2)))
struct OpenIDEndpointTests {
    @Test func userInfo_claimsFollowTheScopes_andBadRequestsGetBearerErrors() async throws {
        let world = try await SeedWorld.start()
        let browser = try await world.signIn()
        let profileOnly = try await world.openIDTokens(
            browser, query: "response_type=code&scope=openid%20profile&state=s")
        let profileToken = try #require(profileOnly["access_token"] as? String)
        let emailOnly = try await world.openIDTokens(
            browser, query: "response_type=code&scope=openid%20email&state=s")
        let emailToken = try #require(emailOnly["access_token"] as? String)
        let noOpenID = try await world.openIDTokens(
            browser, query: "response_type=code&scope=profile&state=s")
        let plainToken = try #require(noOpenID["access_token"] as? String)

        let profile = try await world.http.get(
            world.url("/oauth/userinfo"), headers: ["Authorization": "Bearer \(profileToken)"])
        #expect(profile.status == 200)
        #expect(profile.headers["Cache-Control"] == "no-store")
        #expect(profile.json?["preferred_username"] as? String == SeedWorld.username)
        #expect(profile.json?["email"] == nil)

        // POST with the token in the form body (RFC 6750 §2.2).
        let email = try world.post("/oauth/userinfo", body: "access_token=\(emailToken)")
        #expect(email.status == 200)
        #expect(email.json?["email"] as? String == SeedWorld.email)
        #expect(email.json?["preferred_username"] == nil)
        #expect(email.json?["sub"] as? String == profile.json?["sub"] as? String)

        let lacking = try await world.http.get(
            world.url("/oauth/userinfo"), headers: ["Authorization": "Bearer \(plainToken)"])
        #expect(lacking.status == 403)
        #expect(lacking.json?["error"] as? String == "insufficient_scope")
        #expect(lacking.headers["WWW-Authenticate"]?.contains("scope=\"openid\"") == true)

        let missing = try await world.http.get(world.url("/oauth/userinfo"))
        #expect(missing.status == 401)
        #expect(missing.headers["WWW-Authenticate"] == "Bearer realm=\"latchkey\"")

        let wrong = try await world.http.get(
            world.url("/oauth/userinfo"), headers: ["Authorization": "Bearer lka_nope"])
        #expect(wrong.status == 401)
        #expect(wrong.headers["WWW-Authenticate"]?.contains("error=\"invalid_token\"") == true)

        let inQuery = try await world.http.get(
            world.url("/oauth/userinfo?access_token=\(profileToken)"))
        #expect(inQuery.status == 400)
        #expect(inQuery.json?["error"] as? String == "invalid_request")

        let twice = try world.post(
            "/oauth/userinfo", headers: ["Authorization": "Bearer \(profileToken)"],
            body: "access_token=\(profileToken)")
        #expect(twice.status == 400)
        #expect(twice.json?["error"] as? String == "invalid_request")

        let badEncoding = try world.post(
            "/oauth/userinfo", headers: ["Authorization": "Bearer \(profileToken)"],
            body: "x=%zz")
        #expect(badEncoding.status == 400)

        let revoked = try world.oauthPost(
            "/oauth/revoke", [("token", profileToken)], auth: world.seedBasic)
        #expect(revoked.status == 200)
        let afterRevoke = try await world.http.get(
            world.url("/oauth/userinfo"), headers: ["Authorization": "Bearer \(profileToken)"])
        #expect(afterRevoke.status == 401)
    }

    @Test func jwks_publishesPublicKeysOnly_andRefusesOtherMethods() async throws {
        let world = try await SeedWorld.start()

        let response = try await world.http.get(world.url("/oauth/jwks"))

        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "application/json")
        let keys = try #require(response.json?["keys"] as? [[String: String]])
        #expect(Set(keys.compactMap { $0["alg"] }) == ["RS256", "ES256"])
        for key in keys {
            #expect(key["use"] == "sig" && key["kid"]?.count == 43)
            #expect(key["d"] == nil)
        }
        let post = try world.post("/oauth/jwks", body: "")
        #expect(post.status == 405)
        #expect(post.json?["error"] as? String == "invalid_request")
        let withQuery = try await world.http.get(world.url("/oauth/jwks?kid=%3Cx%3E&kid=1"))
        #expect(withQuery.status == 200)
    }

    /// The discovery document names only what works: its endpoints answer, its
    /// algorithms are the ones the JWKS holds and the tokens use.
    @Test func discovery_matchesBehaviourAndTheRFC8414Document() async throws {
        let world = try await SeedWorld.start()
        let discovery = try await world.http.get(world.url("/.well-known/openid-configuration"))
        let rfc8414 = try await world.http.get(
            world.url("/.well-known/oauth-authorization-server"))
        #expect(discovery.status == 200)
        #expect(discovery.text == rfc8414.text)
        let metadata = try #require(discovery.json)

        #expect(metadata["issuer"] as? String == world.base)
        #expect(metadata["subject_types_supported"] as? [String] == ["public"])
        #expect(metadata["request_uri_parameter_supported"] as? Bool == false)
        #expect(metadata["response_types_supported"] as? [String] == ["code"])
        let scopes = try #require(metadata["scopes_supported"] as? [String])
        #expect(["openid", "profile", "email"].allSatisfy(scopes.contains))

        let jwksAddress = try #require(metadata["jwks_uri"] as? String)
        let jwksURI = try #require(URL(string: jwksAddress))
        let jwks = try await world.http.get(jwksURI)
        let published = Set(
            (jwks.json?["keys"] as? [[String: String]] ?? []).compactMap { $0["alg"] })
        let algorithms = try #require(
            metadata["id_token_signing_alg_values_supported"] as? [String])
        #expect(Set(algorithms) == published)

        let userInfoAddress = try #require(metadata["userinfo_endpoint"] as? String)
        let userInfo = try #require(URL(string: userInfoAddress))
        let unauthorized = try await world.http.get(userInfo)
        #expect(unauthorized.status == 401)

        // Every claim a token carries is listed, and every prompt value listed is accepted.
        let claimsSupported = try #require(metadata["claims_supported"] as? [String])
        let browser = try await world.signIn()
        let tokens = try await world.openIDTokens(
            browser, query: SeedWorld.openIDQuery + "&nonce=x")
        let verified = try await world.verify(idToken: try #require(tokens["id_token"] as? String))
        #expect(verified.claims.keys.allSatisfy(claimsSupported.contains))
        for prompt in try #require(metadata["prompt_values_supported"] as? [String]) {
            let response = try await browser.get(
                world.url(
                    "/oauth/authorize?client_id=\(world.clientID)&" + SeedWorld.openIDQuery
                        + "&prompt=\(prompt)"))
            #expect(response.location?.queryValue("error") != "invalid_request", "\(prompt)")
        }
    }
}

/// The command line of OpenID Connect: `keys rotate`, `--id-token-alg`, key options.
@Suite(.onBlockingThreads, .timeLimit(.minutes(2)))
struct OpenIDCommandTests {
    @Test func keysRotate_help_describesItsOptions() throws {
        let server = try TestServer()
        let result = try server.run(["keys", "rotate", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("--key-encryption-key HEX"))
        #expect(result.stdout.contains("--key-encryption-key-file FILE"))
    }

    @Test(arguments: [
        (["keys", "rotate", "--bogus"], "unknown option --bogus"),
        (["keys", "rotate", "extra"], "takes no arguments"),
        (["keys", "rotate", "--key-encryption-key", "short"], "64 hex digits"),
        (
            ["keys", "rotate", "--key-encryption-key", String(repeating: "zz", count: 32)],
            "64 hex digits"
        ),
        (
            [
                "keys", "rotate", "--key-encryption-key", String(repeating: "00", count: 32),
                "--key-encryption-key-file", "/dev/null",
            ], "exclude each other"
        ),
        (["keys", "rotate", "--key-encryption-key-file", "/nonexistent/kek"], "cannot read"),
        (["keys", "rotate", "--id-token-lifetime", "5"], "--id-token-lifetime"),
        (
            [
                "client", "create", "--name", "X", "--url", "https://x.example", "--callback",
                "https://x.example/cb", "--id-token-alg", "HS256",
            ], "--id-token-alg must be RS256 or ES256"
        ),
        (["serve", "--port", "0", "--id-token-lifetime", "abc"], "--id-token-lifetime"),
        (
            ["serve", "--database", "postgres://nobody@127.0.0.1:1/none"],
            "with PostgreSQL, give every instance the same --key-encryption-key"
        ),
    ])
    func badOption_exitsTwoNamingIt(arguments: [String], message: String) throws {
        let server = try TestServer()
        let result = try server.run(arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func keyEncryptionKeyFromTheEnvironment_isUsedInsteadOfAFile() async throws {
        let key = String(repeating: "5a", count: 32)
        let server = try TestServer()
        try await server.start(environment: ["LATCHKEY_KEY_ENCRYPTION_KEY": key])

        let keys = try await HTTPClient().get(
            URL(string: server.baseURL.absoluteString + "/oauth/jwks")!)

        #expect((keys.json?["keys"] as? [Any])?.count == 2)
        let database = String(server.databaseURL.dropFirst("sqlite:".count))
        #expect(!FileManager.default.fileExists(atPath: database + ".kek"))
        let rotated = try server.run(["keys", "rotate", "--key-encryption-key", key])
        #expect(rotated.status == 0)
        let withoutKey = try server.run(["keys", "rotate"])
        #expect(withoutKey.status == 1)
        #expect(withoutKey.stderr.contains("does not open"))
    }
}
